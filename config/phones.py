"""Telephone numbers as people type them: one rule for every form and import that takes one."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _("Enter a UK telephone number, like 01632 960 001 or 07700 900 982")
NON_EMERGENCY = "101"
# Ofcom keeps these for drama and documentation (01632 960000 to 960999, 07700 900000 to
# 900999). phonenumbers calls them unallocated, but they are the numbers examples and
# demonstrations are meant to use. Its other drama ranges are valid numbers to phonenumbers.
OFCOM_DRAMA_NUMBERS = (range(1632960000, 1632961000), range(7700900000, 7700901000))


def phone_number_format(raw: str, *, non_emergency: bool = False) -> str:
    """A UK number in national format ("01332 123456"), or "" for none; with `non_emergency`
    (an officer's public number), "101" too.

    Raises ValidationError (PHONE_INVALID) for anything else, including numbers from other
    countries."""
    value = raw.strip()
    if not value:
        return ""
    if non_emergency and value == NON_EMERGENCY:
        return value
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(PHONE_INVALID, code="invalid") from exc
    drama = any(number.national_number in numbers for numbers in OFCOM_DRAMA_NUMBERS)
    if number.country_code != 44 or not (phonenumbers.is_valid_number(number) or drama):
        raise ValidationError(PHONE_INVALID, code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
