"""Everything that changes an officer's public profile."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config import phones
from config.text import plain_text
from officers import permissions
from officers.models import Officer, StaffLanguage
from officers.photos import ProcessedPhoto, new_photo_file

BIO_MAX_LENGTH = 2000
RESPONSIBILITIES_MAX_LENGTH = 2000
LANGUAGES_MAX = 20
LANGUAGE_MAX_LENGTH = 40
BIO_TOO_LONG = format_lazy(
    _("The bio must be {limit} characters or fewer"), limit=f"{BIO_MAX_LENGTH:,}"
)
RESPONSIBILITIES_TOO_LONG = format_lazy(
    _("The responsibilities must be {limit} characters or fewer"),
    limit=f"{RESPONSIBILITIES_MAX_LENGTH:,}",
)


def phone_number_format(raw: str) -> str:
    """An officer's public number: a UK number in national format, "101", or "" for none.
    Raises ValidationError (PHONE_INVALID) for anything else (config.phones)."""
    return phones.phone_number_format(raw, non_emergency=True)


def languages_parse(raw: str) -> list[str]:
    """Comma-separated languages as a list, trimmed, without blanks or repeats."""
    languages: list[str] = []
    for part in raw.split(","):
        language = " ".join(part.split())
        if language and language.casefold() not in (seen.casefold() for seen in languages):
            languages.append(language)
    if len(languages) > LANGUAGES_MAX:
        raise ValidationError(
            gettext("Enter %(count)s languages or fewer") % {"count": LANGUAGES_MAX},
            code="max_items",
        )
    if any(len(language) > LANGUAGE_MAX_LENGTH for language in languages):
        raise ValidationError(
            gettext("Each language must be %(count)s characters or fewer")
            % {"count": LANGUAGE_MAX_LENGTH},
            code="max_length",
        )
    return languages


def officer_profile_update(
    *,
    officer: Officer,
    by: AbstractBaseUser,
    bio: str,
    email: str,
    phone: str,
    responsibilities: str,
    languages: list[str],
    photo: ProcessedPhoto | None = None,
    bio_cy: str | None = None,
    responsibilities_cy: str | None = None,
) -> Officer:
    """Publish new public profile details for `officer`, changed by the user `by`.

    `photo` is a photo already re-encoded by officers.photos; it replaces the old one, whose
    file is deleted once the change is committed. The history records `by` as the author."""
    if not permissions.can_edit_officer_profile(by, officer):
        raise PermissionDenied("You cannot change this officer's profile.")

    errors: dict[str, list[ValidationError]] = {}
    bio = plain_text(bio)
    responsibilities = plain_text(responsibilities)
    if len(bio) > BIO_MAX_LENGTH:
        errors.setdefault("bio", []).append(ValidationError(BIO_TOO_LONG, code="max_length"))
    if len(responsibilities) > RESPONSIBILITIES_MAX_LENGTH:
        errors.setdefault("responsibilities", []).append(
            ValidationError(RESPONSIBILITIES_TOO_LONG, code="max_length")
        )
    # The Welsh (config.bilingual): given only where the force has Welsh switched on.
    welsh = {}
    if bio_cy is not None:
        welsh["bio_cy"] = plain_text(bio_cy)
        if len(welsh["bio_cy"]) > BIO_MAX_LENGTH:
            errors.setdefault("bio_cy", []).append(ValidationError(BIO_TOO_LONG, code="max_length"))
    if responsibilities_cy is not None:
        welsh["responsibilities_cy"] = plain_text(responsibilities_cy)
        if len(welsh["responsibilities_cy"]) > RESPONSIBILITIES_MAX_LENGTH:
            errors.setdefault("responsibilities_cy", []).append(
                ValidationError(RESPONSIBILITIES_TOO_LONG, code="max_length")
            )
    try:
        phone = phone_number_format(phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).append(exc)
    try:
        languages = languages_parse(",".join(languages))
    except ValidationError as exc:
        errors.setdefault("languages", []).append(exc)
    if errors:
        raise ValidationError(errors)

    officer.bio = bio
    officer.email = email.strip()
    officer.phone = phone
    officer.responsibilities = responsibilities
    officer.languages = languages
    for name, text in welsh.items():
        setattr(officer, name, text)
    update_fields = [
        "bio",
        "email",
        "phone",
        "responsibilities",
        "languages",
        *welsh,
        "updated_at",
    ]

    old_photo = officer.photo.name if officer.photo else ""
    if photo is not None:
        # Written before the row; removed again below if the row is not saved.
        photo_file = new_photo_file(photo)
        officer.photo.save(photo_file.name, photo_file, save=False)
        update_fields.append("photo")
    new_photo = officer.photo.name if photo is not None else ""

    try:
        officer.full_clean()
        with transaction.atomic():
            officer._history_user = by
            officer.save(update_fields=update_fields)
            if old_photo and new_photo and old_photo != new_photo:
                transaction.on_commit(lambda: default_storage.delete(old_photo))
    except Exception:
        if new_photo:
            default_storage.delete(new_photo)
        raise
    return officer


def officer_away_set(
    *, officer: Officer, by: AbstractBaseUser, until: datetime.date | None
) -> Officer:
    """Mark an officer away until the end of `until` (None: back now). While away, new queries
    for their neighbourhoods go to the team and sergeant. Same permission as their profile."""
    if not permissions.can_edit_officer_profile(by, officer):
        raise PermissionDenied("You cannot change this officer's availability.")
    if until is not None and until < timezone.localdate():
        raise ValidationError(
            {"away_until": gettext("Enter a date that is today or in the future")}
        )
    with transaction.atomic():
        officer.away_until = until
        officer._history_user = by
        officer.full_clean()
        officer.save(update_fields=["away_until", "updated_at"])
    return officer


def staff_language_set(*, user: AbstractBaseUser, language: str) -> None:
    """Keep the language a signed-in member of staff chose, for the emails sent to them."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": gettext("Choose a language the portal offers.")})
    StaffLanguage.objects.update_or_create(user=user, defaults={"language": language})
