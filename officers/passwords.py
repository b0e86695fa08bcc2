"""Staff password resets: the limit on asking for links. The link itself is Django's
(PasswordResetView and its token), sent through the outbox (officers.forms)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext

from config.dates import london_time_display
from config.limits import RateLimit

# Requests for a reset link, per IP address and per email address: counted whether or not the
# address has an account, so the limit tells nobody which addresses do.
password_reset_rate_limit_hit = RateLimit(
    "password-reset", "PASSWORD_RESET_RATE_LIMIT_PER_IP", "PASSWORD_RESET_RATE_LIMIT_PER_EMAIL"
)


def password_reset_limit_message(
    retry_at: datetime.datetime, now: datetime.datetime | None = None
) -> str:
    return gettext(
        "You have asked for too many password reset links. Try again after %(time)s, or ask "
        "an administrator"
    ) % {"time": london_time_display(retry_at, now or timezone.now())}
