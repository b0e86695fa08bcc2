import logging

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from config.forms import GovukFormMixin
from officers import photos, services
from officers.models import Officer
from officers.selectors import NeighbourhoodChoice

logger = logging.getLogger(__name__)


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask an administrator to reactivate it.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )


class StaffPasswordResetForm(GovukFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address on your staff account.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.police.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def send_mail(self, *args, **kwargs) -> None:
        # The page says the same whether or not an account matched, so a failed send must not
        # turn into an error page that tells an attacker which addresses exist. It is logged.
        try:
            super().send_mail(*args, **kwargs)
        except OSError:
            logger.exception("Could not send a password reset email")


class StaffSetPasswordForm(GovukFormMixin, SetPasswordForm):
    pass


# --- Officer profiles ---------------------------------------------------------------------------


class PlainTextField(forms.CharField):
    """Text with one kind of line break, so a length counts what the officer typed."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class OfficerProfileForm(GovukFormMixin, forms.Form):
    """The public profile fields an officer edits. A valid new photo is processed at once and
    kept as a pending file (`pending_photo_token`), so it survives errors elsewhere, the
    preview and the "Change" link without being uploaded again."""

    # Fields checked one by one as the officer leaves them, when JavaScript runs.
    INLINE_FIELDS = ("email", "phone")

    bio = PlainTextField(
        label="About you",
        required=False,
        max_length=services.BIO_MAX_LENGTH,
        help_text="Plain text, up to 2,000 characters. Start a new paragraph with an empty line.",
        error_messages={"max_length": services.BIO_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    responsibilities = PlainTextField(
        label="Responsibilities",
        required=False,
        max_length=services.RESPONSIBILITIES_MAX_LENGTH,
        help_text="What residents can come to you about, in plain text.",
        error_messages={"max_length": services.RESPONSIBILITIES_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    languages = forms.CharField(
        label="Languages you speak",
        required=False,
        max_length=1000,
        help_text="Separate languages with commas, for example English, Punjabi, Polish.",
        error_messages={"max_length": "Languages must be 1,000 characters or fewer"},
    )
    email = forms.EmailField(
        label="Public email address",
        required=False,
        max_length=254,
        help_text="Residents can write to this address. Use your work address.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.police.uk",
            "max_length": "The email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Public telephone number",
        required=False,
        max_length=40,
        help_text="A UK number, like 01332 123456 or 07700 900123, or 101.",
        error_messages={"max_length": services.PHONE_INVALID},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    photo = forms.FileField(
        label="Photo",
        required=False,
        error_messages={"empty": photos.UNREADABLE, "invalid": photos.UNREADABLE},
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, officer: Officer, inline_url: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.officer = officer
        size = photos.max_size_label()
        self.fields["photo"].help_text = f"A JPG, PNG or WebP photo of your face, under {size}."
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
            "languages": ", ".join(officer.languages),
            "email": officer.email,
            "phone": officer.phone,
        }

    def clean_phone(self) -> str:
        return services.phone_number_format(self.cleaned_data["phone"])

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

    def draft(self) -> dict[str, str]:
        """The submitted values as text, to bind this form again later (JSON-safe)."""
        data = {name: self.data.get(name, "") for name in self.initial_for(self.officer)}
        data["photo_token"] = self.pending_photo_token
        return data


class NeighbourhoodFilterForm(GovukFormMixin, forms.Form):
    """A `neighbourhood` filter chosen by slug from a list grouped by division; cleaned to the
    NeighbourhoodChoice, or None for all. Subclasses call set_neighbourhoods() in __init__."""

    neighbourhood = forms.ChoiceField(
        label="Neighbourhood",
        required=False,
        error_messages={"invalid_choice": "Select a neighbourhood from the list"},
    )

    def set_neighbourhoods(self, neighbourhoods: list[NeighbourhoodChoice]) -> None:
        self.by_slug = {choice.slug: choice for choice in neighbourhoods}
        groups: dict[str, list[tuple[str, str]]] = {}
        for choice in neighbourhoods:
            groups.setdefault(choice.division_name or "Other", []).append(
                (choice.slug, choice.name)
            )
        self.fields["neighbourhood"].choices = [("", "All neighbourhoods"), *groups.items()]

    def clean_neighbourhood(self) -> NeighbourhoodChoice | None:
        slug = self.cleaned_data["neighbourhood"]
        return self.by_slug.get(slug) if slug else None


class DirectoryFilterForm(NeighbourhoodFilterForm):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=100,
        help_text="All or part of a name.",
        error_messages={
            "max_length": "The name must be 100 characters or fewer",
            "null_characters_not_allowed": "The name contains a character that is not allowed",
        },
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    def __init__(self, *args, neighbourhoods: list[NeighbourhoodChoice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_neighbourhoods(neighbourhoods)


class AwayForm(GovukFormMixin, forms.Form):
    away_until = forms.DateField(
        label="Away until (the last day you are away)",
        help_text="Leave it empty when you are back. While you are away, new queries go to "
        "your team and sergeant.",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, for example 27 3 2027"},
    )
