"""Staff roles are Django groups, created by a data migration. One name, one meaning."""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(StrEnum):
    OFFICER = "Officer"
    SUPERVISOR = "Supervisor"
    OPCC = "OPCC"
    ADMINISTRATOR = "Administrator"


def user_roles(user: AbstractBaseUser | AnonymousUser) -> set[Role]:
    """The roles a signed-in user holds; a superuser holds Administrator whatever its groups."""
    if not user.is_authenticated or not user.is_active:
        return set()
    names = user.groups.filter(name__in=[role.value for role in Role]).values_list(
        "name", flat=True
    )
    roles = {Role(name) for name in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles


def is_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    return Role.ADMINISTRATOR in user_roles(user)
