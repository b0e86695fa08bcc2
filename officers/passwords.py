"""Staff password resets: the limit on asking for links. The link itself is Django's
(PasswordResetView and its token), sent through the outbox (officers.forms)."""

import datetime

from django.conf import settings
from django.utils import timezone

from config.dates import london_time_display
from config.limits import rate_limit_hit


def password_reset_rate_limit_hit(
    *, ip: str, email: str, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """Count a request for a reset link from this IP address for this email address: None when
    it may go ahead, or the time after which another may be asked for. Counted whether or not
    the address has an account, so the limit tells nobody which addresses do."""
    return rate_limit_hit(
        scope="password-reset",
        ip=ip,
        email=email,
        per_ip=settings.PASSWORD_RESET_RATE_LIMIT_PER_IP,
        per_email=settings.PASSWORD_RESET_RATE_LIMIT_PER_EMAIL,
        window=settings.QUERY_RATE_LIMIT_WINDOW_SECONDS,
        now=now or timezone.now(),
    )


def password_reset_limit_message(
    retry_at: datetime.datetime, now: datetime.datetime | None = None
) -> str:
    return (
        "You have asked for too many password reset links. Try again after "
        f"{london_time_display(retry_at, now or timezone.now())}, or ask an administrator"
    )
