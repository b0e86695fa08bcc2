"""What the second factor's tests share: an authenticator app's codes, computed as an app
would (pyotp, independent of django-otp), and a device set up directly."""

import re
import time
from base64 import b32encode

import pyotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from tests.html import elements, texts


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app set up with `secret` (base32, spaces allowed) shows now,
    or `steps_ahead` 30-second steps later (each code is accepted once, so a second sign-in
    within the same 30 seconds needs the next one)."""
    return pyotp.TOTP(secret.replace(" ", "")).at(time.time() + 30 * steps_ahead)


def device_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


def set_up_app(user, *, recovery_codes: tuple[str, ...] = ()) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    if recovery_codes:
        static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        for code in recovery_codes:
            StaticToken.objects.create(device=static, token=code)
    return device


def recovery_codes(page) -> list[str]:
    """The recovery codes the page lists, each alone in its list item."""
    return [
        code.text
        for code in elements(page, "code")
        if code.parent.tag == "li" and re.fullmatch("[a-z0-9]{10}", code.text)
    ]


def secret_on_page(html: str) -> str:
    secrets = texts(html, "code", class_="portal-secret")
    assert secrets, "no secret key on the page"
    assert re.fullmatch("[A-Z2-7 ]+", secrets[0]), secrets[0]
    return secrets[0]


def sign_in_with_password(client, username: str, next_url: str = "/staff/"):
    return client.post(
        "/staff/sign-in/", {"username": username, "password": PASSWORD, "next": next_url}
    )
