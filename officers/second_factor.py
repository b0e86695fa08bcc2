"""The second factor for staff who sign in with a password: an authenticator app (TOTP), a
security key or passkey (WebAuthn, django-otp-webauthn, whose own views and script register and
check them) and ten recovery codes, kept by django-otp (otp_totp, otp_static).

- Who needs one: administrators and OPCC always; every staff account while
  MFA_REQUIRED_FOR_ALL is on; and anyone who has set one up. Never the usernames in
  MFA_SKIP_USERNAMES (the demo sign-ins, local settings only).
- A password-only session reaches no staff page nor the admin (officers.middleware).
- Wrong codes lock the second step like wrong passwords lock the first: MFA_FAILURE_LIMIT wrong
  codes, then MFA_LOCK_TIME from the last one.
- Administrators and OPCC cannot remove their last authenticator app or security key.
- Setting one up (an app or a key), removing one (here or in the admin: officers.receivers),
  new recovery codes and signing in with a recovery code are in the audit.
"""

import datetime
import math
import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass

import django_otp
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from audit.models import AuditRecord
from audit.services import audit_record
from config.http import client_ip
from config.limits import RateLimit
from config.roles import Role, user_roles

AUDIT_SUBJECT = "second factor"
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
KEY_NAME = "Security key or passkey"
# Roles that always need a second factor and may not remove their last one.
ALWAYS_REQUIRED = frozenset({Role.ADMINISTRATOR, Role.OPCC})
LAST_DEVICE_REFUSAL = _(
    "You cannot remove your only authenticator app: administrators and OPCC must keep one. "
    "Set up another app or a security key first"
)
LAST_KEY_REFUSAL = _(
    "You cannot remove your only security key: administrators and OPCC must keep an "
    "authenticator app or a security key. Set up another first"
)
WRONG_CODE = _("The code is not right. Enter the code your authenticator app shows now")

second_factor_rate_limit_hit = RateLimit(
    "second-factor", "MFA_RATE_LIMIT_PER_IP", "MFA_RATE_LIMIT_PER_ACCOUNT"
)


class SecondFactorLocked(Exception):
    """Too many wrong codes: the second step is locked until `until`."""

    def __init__(self, until: datetime.datetime) -> None:
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until

    def minutes_left(self, now: datetime.datetime | None = None) -> int:
        seconds = (self.until - (now or timezone.now())).total_seconds()
        return max(1, math.ceil(seconds / 60))


# --- Who needs one ------------------------------------------------------------------------------


def second_factor_required(user: AbstractBaseUser) -> bool:
    """Whether this account must have a second factor (whether or not it has one yet)."""
    if user.get_username() in settings.MFA_SKIP_USERNAMES:
        return False
    return settings.MFA_REQUIRED_FOR_ALL or bool(user_roles(user) & ALWAYS_REQUIRED)


def has_second_factor(user: AbstractBaseUser) -> bool:
    """Whether the account has a confirmed authenticator app or security key."""
    return has_authenticator_app(user) or has_security_key(user)


def has_authenticator_app(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def has_security_key(user: AbstractBaseUser) -> bool:
    return WebAuthnCredential.objects.devices_for_user(user, confirmed=True).exists()


def security_keys(user: AbstractBaseUser) -> list[WebAuthnCredential]:
    return list(
        WebAuthnCredential.objects.devices_for_user(user, confirmed=True).order_by("created_at")
    )


def second_factor_missing(user: AbstractBaseUser) -> bool:
    """Whether this signed-in session still lacks the second factor the account needs: its
    password alone was given, and the account must have one or has one."""
    if not settings.MFA_ENFORCED or not user.is_authenticated:
        return False
    if getattr(user, "is_verified", None) and user.is_verified():
        return False
    if user.get_username() in settings.MFA_SKIP_USERNAMES:
        return False
    if getattr(user, "signed_in_through_provider", False):
        # The force's identity provider asks for its own factors (officers.middleware).
        return False
    return second_factor_required(user) or has_second_factor(user)


# --- Setting up an authenticator app -------------------------------------------------------------


def new_secret() -> str:
    """A new TOTP secret, hex as django-otp stores it (20 random bytes)."""
    return random_hex(20)


def secret_text(key: str) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_url(*, user: AbstractBaseUser, key: str) -> str:
    """The otpauth:// address the QR code holds, as django-otp writes it."""
    return TOTPDevice(user=user, key=key).config_url


def _code_matches(key: str, code: str) -> int | None:
    """The time step a code from an app set up with `key` matches (one step either side),
    or None."""
    try:
        token = int(code)
    except ValueError:
        return None
    totp = TOTP(unhexlify(key), 30, 0, 6, 0)
    totp.time = time.time()
    if totp.verify(token, tolerance=1):
        return totp.t()  # with the drift verify found
    return None


@dataclass(frozen=True)
class SetUp:
    device: TOTPDevice
    recovery_codes: list[str]


def totp_device_confirm(
    *, user: AbstractBaseUser, key: str, code: str, request: HttpRequest
) -> SetUp:
    """Keep the authenticator app set up with `key` once it gives a right code, with ten new
    recovery codes (the old ones stop working), and count this session as verified by it."""
    if not user.is_authenticated:
        raise PermissionDenied
    code = _clean(code)
    step = _code_matches(key, code)
    if step is None:
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        device = TOTPDevice(user=user, key=key, name=APP_NAME, confirmed=True, last_t=step)
        device.full_clean()
        device.save()
        # The audit records it (officers.receivers), as it does a device an administrator adds.
        codes = _recovery_codes_replace(user=user)
    django_otp.login(request, device)
    return SetUp(device=device, recovery_codes=codes)


def _recovery_codes_replace(*, user: AbstractBaseUser) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [_recovery_code() for _ in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _recovery_code() -> str:
    """Ten characters from an alphabet without look-alikes (no 0/o, 1/l/i)."""
    return "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))


def recovery_codes_renew(*, user: AbstractBaseUser, request: HttpRequest) -> list[str]:
    """Ten new recovery codes in place of the old ones, for an account verified with its
    second factor."""
    if not has_second_factor(user) or not user.is_verified():
        raise PermissionDenied
    with transaction.atomic():
        codes = _recovery_codes_replace(user=user)
        audit_record(
            actor=user,
            action=AuditRecord.Action.CHANGED,
            subject_type=AUDIT_SUBJECT,
            subject_id=user.pk,
            address=client_ip(request),
            detail="new recovery codes",
        )
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Removing one --------------------------------------------------------------------------------


def totp_device_remove(*, user: AbstractBaseUser, device_id: int) -> None:
    """Remove one of the user's own authenticator apps. Administrators and OPCC may not remove
    their last app or key (nor anyone who must have one); removing the last one of anyone else
    removes their recovery codes too. A session that has not given its second factor may not."""
    _device_remove(user=user, model=TOTPDevice, device_id=device_id, refusal=LAST_DEVICE_REFUSAL)


def security_key_remove(*, user: AbstractBaseUser, device_id: int) -> None:
    """Remove one of the user's own security keys or passkeys, on the same rules as an app."""
    _device_remove(
        user=user, model=WebAuthnCredential, device_id=device_id, refusal=LAST_KEY_REFUSAL
    )


def _device_remove(*, user: AbstractBaseUser, model: type[Device], device_id: int, refusal: str):
    if second_factor_missing(user):
        raise PermissionDenied
    with transaction.atomic():
        # Any confirmed app or key counts: the last of them all is the one kept.
        apps = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        keys = list(
            WebAuthnCredential.objects.select_for_update().filter(user=user, confirmed=True)
        )
        device = next((d for d in apps + keys if isinstance(d, model) and d.pk == device_id), None)
        if device is None:
            raise PermissionDenied
        last = len(apps) + len(keys) == 1
        if last and second_factor_required(user):
            raise ValidationError(refusal)
        # The audit records it (officers.receivers), as it does a removal in the admin.
        device.delete()
        if last:
            StaticDevice.objects.filter(user=user).delete()


# --- The second step of signing in ----------------------------------------------------------------


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _user_devices(user: AbstractBaseUser) -> list[Device]:
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def second_factor_locked_until(
    user: AbstractBaseUser, devices: list[Device] | None = None
) -> datetime.datetime | None:
    """When the second step opens again after too many wrong codes, or None when it is open.
    Wrong codes are counted across the user's app and recovery codes since the last right one
    (django-otp's throttling counters)."""
    now = timezone.now()
    devices = _user_devices(user) if devices is None else devices
    recent = [
        d
        for d in devices
        if d.throttling_failure_timestamp
        and d.throttling_failure_timestamp + settings.MFA_LOCK_TIME > now
    ]
    if sum(d.throttling_failure_count for d in recent) < settings.MFA_FAILURE_LIMIT:
        return None
    return max(d.throttling_failure_timestamp for d in recent) + settings.MFA_LOCK_TIME


def second_factor_verify(
    *, user: AbstractBaseUser, code: str, recovery: bool, request: HttpRequest
) -> Device | None:
    """Check a code from the user's authenticator app (or, with `recovery`, one of their
    recovery codes, which then stops working). A right code verifies this session and clears
    the count of wrong ones; a wrong one is counted, and the one that reaches the limit
    locks. Raises SecondFactorLocked while locked, whatever the code."""
    devices = _user_devices(user)
    until = second_factor_locked_until(user, devices)
    if until is not None:
        raise SecondFactorLocked(until)
    wanted = StaticDevice if recovery else TOTPDevice
    candidates = [d for d in devices if isinstance(d, wanted)]
    code = _clean(code)
    with transaction.atomic():
        for device in candidates:
            if device.verify_token(code):
                for other in devices:
                    if other.pk != device.pk or type(other) is not type(device):
                        other.throttle_reset(commit=False)
                        other.save(
                            update_fields=[
                                "throttling_failure_count",
                                "throttling_failure_timestamp",
                            ]
                        )
                if recovery:
                    audit_record(
                        actor=user,
                        action=AuditRecord.Action.CHANGED,
                        subject_type=AUDIT_SUBJECT,
                        subject_id=user.pk,
                        address=client_ip(request),
                        detail="signed in with a recovery code",
                    )
                django_otp.login(request, device)
                return device
    # verify_token counted the wrong code on every candidate: count it once.
    for extra in candidates[1:]:
        extra.throttling_failure_count -= 1
        extra.save(update_fields=["throttling_failure_count"])
    if not candidates and devices:
        devices[0].throttle_increment()
    until = second_factor_locked_until(user)
    if until is not None:
        raise SecondFactorLocked(until)
    return None


def tries_left_text(user: AbstractBaseUser) -> str:
    """'You have 2 more tries before …' after a wrong code."""
    now = timezone.now()
    failures = sum(
        d.throttling_failure_count
        for d in _user_devices(user)
        if d.throttling_failure_timestamp
        and d.throttling_failure_timestamp + settings.MFA_LOCK_TIME > now
    )
    left = settings.MFA_FAILURE_LIMIT - failures
    if left < 1:
        return ""
    return ngettext(
        "You have %(count)s more try before this step is locked.",
        "You have %(count)s more tries before this step is locked.",
        left,
    ) % {"count": left}
