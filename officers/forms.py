"""Forms of officers: signing in and passwords, profiles and the directory, availability, and
the abstractions log. They read what was typed; the rules are the services'."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.dates import LONDON
from config.forms import (
    RADIOS_TEMPLATE,
    GovukFormMixin,
    GovukRadios,
    PhoneNumberField,
    PlainTextField,
    WelshTwinsMixin,
    date_field,
    time_field,
)
from notifications.services import outbox_email_enqueue
from officers import photos, services, sign_in
from officers.abstractions import NOTE_MAX_LENGTH
from officers.models import Abstraction, Officer
from officers.selectors import NeighbourhoodChoice, staff_language


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Enter a correct username and password. Both are case-sensitive."),
        "inactive": _("This account is not active. Ask an administrator to reactivate it."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Enter your username")
        self.fields["password"].error_messages["required"] = _("Enter your password")
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )

    def get_invalid_login_error(self) -> ValidationError:
        """The wrong-password message, with how many tries are left before the lock."""
        tries_left = (
            sign_in.tries_left_text(self.request, self.cleaned_data) if self.request else ""
        )
        message = str(self.error_messages["invalid_login"])
        return ValidationError(f"{message} {tries_left}".strip(), code="invalid_login")


STAFF_EMAIL_FORMAT = _("Enter an email address in the correct format, like name@example.police.uk")


class StaffPasswordResetForm(GovukFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The email address on your staff account."),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": STAFF_EMAIL_FORMAT,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Through the outbox like every email, never SMTP from the request: with the mail server
        # down the link waits and goes later instead of being lost, and the answer takes the
        # same time whether or not an account matched. The link is a secret: redacted once sent.
        # In the language the member chose for their emails.
        language = staff_language(user_id=context["user"].pk)
        with translation.override(language):
            outbox_email_enqueue(
                to=[to_email],
                template=email_template_name.removesuffix(".txt"),
                context=context,
                redact_after_send=True,
                language=language,
            )


class StaffSetPasswordForm(GovukFormMixin, SetPasswordForm):
    pass


# --- Officer profiles ---------------------------------------------------------------------------


class OfficerProfileForm(WelshTwinsMixin, GovukFormMixin, forms.Form):
    """The public profile fields an officer edits. A valid new photo is processed at once and
    kept as a pending file (`pending_photo_token`), so it survives errors elsewhere, the
    preview and the "Change" link without being uploaded again."""

    # Fields checked one by one as the officer leaves them, when JavaScript runs.
    INLINE_FIELDS = ("email", "phone")
    WELSH_TWINS = ("bio", "responsibilities")

    bio = PlainTextField(
        label=_("About you"),
        required=False,
        max_length=services.BIO_MAX_LENGTH,
        help_text=_(
            "Plain text, up to 2,000 characters. Start a new paragraph with an empty line."
        ),
        error_messages={"max_length": services.BIO_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    responsibilities = PlainTextField(
        label=_("Responsibilities"),
        required=False,
        max_length=services.RESPONSIBILITIES_MAX_LENGTH,
        help_text=_("What residents can come to you about, in plain text."),
        error_messages={"max_length": services.RESPONSIBILITIES_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    languages = forms.CharField(
        label=_("Languages you speak"),
        required=False,
        max_length=1000,
        help_text=_("Separate languages with commas, for example English, Punjabi, Polish."),
        error_messages={"max_length": _("Languages must be 1,000 characters or fewer")},
    )
    email = forms.EmailField(
        label=_("Public email address"),
        required=False,
        max_length=254,
        help_text=_("Residents can write to this address. Use your work address."),
        error_messages={
            "invalid": STAFF_EMAIL_FORMAT,
            "max_length": _("The email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = PhoneNumberField(
        label=_("Public telephone number"),
        required=False,
        non_emergency=True,
        help_text=_("A UK number, like 01332 123456 or 07700 900123, or 101."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        error_messages={"empty": photos.UNREADABLE, "invalid": photos.UNREADABLE},
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, officer: Officer, inline_url: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.officer = officer
        size = photos.max_size_label()
        self.fields["photo"].help_text = gettext(
            "A JPG, PNG or WebP photo of your face, under %(size)s."
        ) % {"size": size}
        source = self.data if self.is_bound else self.initial
        self.pending_photo_token: str = source.get("photo_token", "") or ""
        self.new_photo: photos.ProcessedPhoto | None = None
        if inline_url:
            for name in self.INLINE_FIELDS:
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": inline_url,
                        "hx-trigger": "change",
                        "hx-params": name,
                        "hx-target": "closest .govuk-form-group",
                        "hx-swap": "outerHTML",
                    }
                )

    @classmethod
    def initial_for(cls, officer: Officer) -> dict[str, str]:
        return {
            "bio": officer.bio,
            "responsibilities": officer.responsibilities,
            "bio_cy": officer.bio_cy,
            "responsibilities_cy": officer.responsibilities_cy,
            "languages": ", ".join(officer.languages),
            "email": officer.email,
            "phone": officer.phone,
        }

    def clean_languages(self) -> list[str]:
        return services.languages_parse(self.cleaned_data["languages"])

    def clean_photo(self) -> photos.ProcessedPhoto | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return photos.photo_process(upload)
        except photos.PhotoError as exc:
            raise ValidationError(exc.message, code="photo") from exc

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.has_error("photo"):
            self.pending_photo_token = ""
        elif cleaned.get("photo") is not None:
            self.new_photo = cleaned["photo"]
            self.pending_photo_token = photos.pending_photo_store(
                officer_id=self.officer.pk, photo=self.new_photo
            )
        elif self.pending_photo_token:
            try:
                self.new_photo = photos.pending_photo_load(
                    officer_id=self.officer.pk, token=self.pending_photo_token
                )
            except photos.PhotoError as exc:
                self.pending_photo_token = ""
                self.add_error("photo", exc.message)
        return cleaned

    def welsh_data(self) -> dict[str, str]:
        """The cleaned Welsh fields, where the force has Welsh switched on."""
        return {
            name: self.cleaned_data[name]
            for name in ("bio_cy", "responsibilities_cy")
            if name in self.fields
        }

    def draft(self) -> dict[str, str]:
        """The submitted values as text, to bind this form again later (JSON-safe)."""
        data = {name: self.data.get(name, "") for name in self.initial_for(self.officer)}
        data["photo_token"] = self.pending_photo_token
        return data


class NeighbourhoodFilterForm(GovukFormMixin, forms.Form):
    """A `neighbourhood` filter chosen by slug from a list grouped by division; cleaned to the
    NeighbourhoodChoice, or None for all. Subclasses call set_neighbourhoods() in __init__."""

    neighbourhood = forms.ChoiceField(
        label=_("Neighbourhood"),
        required=False,
        error_messages={"invalid_choice": _("Select a neighbourhood from the list")},
    )

    def set_neighbourhoods(self, neighbourhoods: list[NeighbourhoodChoice]) -> None:
        self.by_slug = {choice.slug: choice for choice in neighbourhoods}
        groups: dict[str, list[tuple[str, str]]] = {}
        for choice in neighbourhoods:
            groups.setdefault(choice.division_name or gettext("Other"), []).append(
                (choice.slug, choice.name)
            )
        self.fields["neighbourhood"].choices = [("", _("All neighbourhoods")), *groups.items()]

    def clean_neighbourhood(self) -> NeighbourhoodChoice | None:
        slug = self.cleaned_data["neighbourhood"]
        return self.by_slug.get(slug) if slug else None


class DirectoryFilterForm(NeighbourhoodFilterForm):
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        help_text=_("All or part of a name."),
        error_messages={
            "max_length": _("The name must be 100 characters or fewer"),
            "null_characters_not_allowed": _("The name contains a character that is not allowed"),
        },
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    def __init__(self, *args, neighbourhoods: list[NeighbourhoodChoice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_neighbourhoods(neighbourhoods)


class AwayForm(GovukFormMixin, forms.Form):
    away_until = date_field(
        _("Away until (the last day you are away)"),
        subject=_("The last day you are away"),
        help_text=_(
            "Leave it empty when you are back. While you are away, new queries go to "
            "your team and sergeant."
        ),
    )


# --- The abstractions log ------------------------------------------------------------------------


ABSTRACTION_TIMES = _("09:00 or 9am")
STILL_AWAY, BACK_ON_A_DATE = "yes", "no"
END_MISSING = _("Enter the end date, or choose “Still away”")
END_TIME_MISSING = _("Enter the end time, or choose “Still away”")
# "Still away" and an end: which one is meant is the officer's to say, never the form's.
END_CONTRADICTS = _("Either choose “Back on a date” or remove the end date and time")
CHOOSE_END = _("Choose “Still away” or “Back on a date”")


def _london(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=LONDON)


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return str(obj)


class AbstractionForm(GovukFormMixin, forms.Form):
    """Who (for a sergeant or administrator), why, from when and until when."""

    officer = OfficerChoiceField(
        label=_("Officer"),
        queryset=Officer.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose an officer from the list")},
    )
    reason = forms.ChoiceField(
        label=_("Why are you away from the neighbourhood?"),
        choices=Abstraction.Reason.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "required": _("Choose why you are away"),
            "invalid_choice": _("Choose one of the reasons listed"),
        },
    )
    start_date = date_field(_("Start date"), missing=_("Enter the start date"))
    start_time = time_field(_("Start time"), _("Enter the start time"), example=ABSTRACTION_TIMES)
    # Radios, none chosen at first: a box ticked by default ended up meaning "still away"
    # when an end was given as well.
    still_away = forms.ChoiceField(
        label=_("When does it end?"),
        help_text=_("While someone is away, new queries to them go to their team and sergeant."),
        choices=[(STILL_AWAY, _("Still away")), (BACK_ON_A_DATE, _("Back on a date"))],
        required=False,
        widget=GovukRadios,
        error_messages={"invalid_choice": CHOOSE_END},
    )
    end_date = date_field(_("End date"))
    end_time = time_field(_("End time"), example=ABSTRACTION_TIMES)
    note = PlainTextField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        rows=3,
        error_messages={
            "max_length": format_lazy(
                _("The note must be {limit} characters or fewer"), limit=NOTE_MAX_LENGTH
            )
        },
    )

    @property
    def end_fields(self) -> list[forms.BoundField]:
        """The fields "Back on a date" reveals."""
        return [self["end_date"], self["end_time"]]

    def __init__(
        self, *args, officers: QuerySet[Officer] | None = None, with_officer: bool = True, **kw
    ) -> None:
        super().__init__(*args, **kw)
        if with_officer and officers is not None:
            self.fields["officer"].queryset = officers
        else:
            del self.fields["officer"]

    @classmethod
    def initial_for_now(cls, now: datetime.datetime) -> dict:
        local = now.astimezone(LONDON)
        return {
            "start_date": local.date(),
            "start_time": local.time().replace(second=0, microsecond=0),
        }

    @classmethod
    def initial_for(cls, abstraction: Abstraction) -> dict:
        starts = abstraction.starts_at.astimezone(LONDON)
        initial = {
            "reason": abstraction.reason,
            "start_date": starts.date(),
            "start_time": starts.time(),
            "still_away": STILL_AWAY if abstraction.ends_at is None else BACK_ON_A_DATE,
            "note": abstraction.note,
        }
        if abstraction.ends_at is not None:
            ends = abstraction.ends_at.astimezone(LONDON)
            initial.update(end_date=ends.date(), end_time=ends.time())
        return initial

    def _end_given(self) -> bool:
        """Anything typed in the end date's boxes or the end time, a date or time or not."""
        date_boxes = self["end_date"].value()
        typed = [*date_boxes] if isinstance(date_boxes, list) else [date_boxes]
        typed.append(self["end_time"].value())
        return any(str(text or "").strip() for text in typed)

    def clean(self) -> dict:
        data = super().clean()
        end_given = self._end_given()
        choice = data.get("still_away")
        if choice == STILL_AWAY:
            if end_given:
                self.add_error("still_away", END_CONTRADICTS)
            data["ends_at"] = None
        elif choice == BACK_ON_A_DATE or end_given:
            # An end given means back then, even with neither answer chosen.
            end_date, end_time = data.get("end_date"), data.get("end_time")
            if "end_date" not in self.errors and end_date is None:
                self.add_error("end_date", END_MISSING)
            if "end_time" not in self.errors and end_time is None:
                self.add_error("end_time", END_TIME_MISSING)
            if end_date and end_time:
                data["ends_at"] = _london(end_date, end_time)
        elif "still_away" not in self.errors:
            self.add_error("still_away", CHOOSE_END)
        if data.get("start_date") and data.get("start_time"):
            data["starts_at"] = _london(data["start_date"], data["start_time"])
        return data


class SecondFactorCodeForm(GovukFormMixin, forms.Form):
    """The 6-digit code from an authenticator app: at the second step of signing in, and to
    confirm a newly set-up app."""

    code = forms.CharField(
        label=_("Enter the 6-digit code from your authenticator app"),
        help_text=_("The code changes every 30 seconds."),
        max_length=20,
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise ValidationError(_("Enter the 6-digit code, like 123456"))
        return code


class RecoveryCodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Enter one of your recovery codes"),
        help_text=_("Each recovery code works once."),
        max_length=40,
        error_messages={"required": _("Enter a recovery code")},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-20",
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
    )
