"""Who is asking, for records written where no request is at hand (a signal receiver): the
middleware keeps the request's user and address for the length of the request."""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse

from config.http import client_ip


@dataclass(frozen=True)
class Origin:
    actor: AbstractBaseUser | AnonymousUser | None
    address: str


_origin: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def current_origin() -> Origin:
    """The user and address of the request being answered; nobody and no address outside one
    (a task, a management command)."""
    return _origin.get() or Origin(actor=None, address="")


def audit_origin(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: after AuthenticationMiddleware, so the user is known."""

    def middleware(request: HttpRequest) -> HttpResponse:
        origin = Origin(actor=getattr(request, "user", None), address=client_ip(request))
        token = _origin.set(origin)
        try:
            return get_response(request)
        finally:
            _origin.reset(token)

    return middleware
