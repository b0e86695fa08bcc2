"""The resident's forms: a query to a neighbourhood team, and a follow-up message on it."""

import re

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.forms import (
    RADIOS_TEMPLATE,
    GovukForm,
    GovukRadios,
    HoneypotMixin,
    PhoneNumberField,
    PlainTextField,
    honeypot_field,
    resident_email_field,
)
from queries.models import ContactPreference, Satisfaction, Topic
from queries.services.feedback import COMMENT_MAX_LENGTH
from queries.urgency import message_urgency

# Fields a browser with JavaScript checks as the resident leaves them (htmx).
INLINE_FIELDS = ("name", "email", "phone")


class CharacterCountTextarea(forms.Textarea):
    """A textarea for GOV.UK's character count: it also describes itself by the count."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 8, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        classes = ["govuk-textarea", "govuk-js-character-count"]
        if widget_attrs.get("aria-invalid") == "true":
            classes.append("govuk-textarea--error")
        widget_attrs["class"] = " ".join(classes)
        # No maxlength: the count tells the resident, who can paste and then shorten.
        widget_attrs.pop("maxlength", None)
        if widget_attrs.get("id"):
            described = [f"{widget_attrs['id']}-info", widget_attrs.get("aria-describedby", "")]
            widget_attrs["aria-describedby"] = " ".join(d for d in described if d)
        return context


class CharacterCountField(PlainTextField):
    """A message kept as plain text, with line breaks counted as the character count counts
    them (one character each), so the limit shown and the limit applied agree."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", CharacterCountTextarea)
        kwargs.setdefault("template_name", "queries/_resident_character_count.html")
        super().__init__(**kwargs)
        self.limit_display = f"{self.max_length:,}"

    @property
    def count_messages(self) -> list[tuple[str, str]]:
        """What GOV.UK's character count says as the resident types, in the page's language,
        as its data-i18n attributes: one text for every plural category (Welsh has six)."""
        under = gettext("You have {count} characters remaining").replace("{count}", "%{count}")
        over = gettext("You have {count} characters too many").replace("{count}", "%{count}")
        messages = [("characters-at-limit", gettext("You have 0 characters remaining"))]
        for category in ("zero", "one", "two", "few", "many", "other"):
            messages.append((f"characters-under-limit.{category}", under))
            messages.append((f"characters-over-limit.{category}", over))
        return messages


def message_field(label: str, help_text: str = "") -> CharacterCountField:
    limit = settings.QUERY_MESSAGE_MAX_LENGTH
    return CharacterCountField(
        label=label,
        help_text=help_text,
        max_length=limit,
        error_messages={
            "required": _("Enter your message"),
            "max_length": format_lazy(
                _("Your message must be {limit} characters or fewer"), limit=f"{limit:,}"
            ),
        },
    )


class ContactForm(HoneypotMixin, GovukForm):
    topic = forms.ChoiceField(
        label=_("What is your query about?"),
        choices=Topic.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={"required": _("Select what your query is about")},
    )
    message = message_field(
        _("Your message"),
        _("Tell us what is happening, where and when. Do not use this form to report a crime."),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your name"),
            "max_length": _("Your name must be 100 characters or fewer"),
        },
    )
    email = resident_email_field(
        label=_("Email address (optional if you prefer a phone call)"), required=False
    )
    phone = PhoneNumberField(
        label=_("Telephone number (optional if you prefer email)"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_preference = forms.ChoiceField(
        label=_("How would you like us to contact you?"),
        choices=ContactPreference.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={"required": _("Select how you would like us to contact you")},
    )
    consent = forms.BooleanField(
        label=_("I agree that my details are used to answer my query"),
        error_messages={"required": _("Agree to the privacy notice to send your query")},
    )
    not_an_emergency = forms.BooleanField(
        label=_("It is not an emergency: send my query"),
        required=False,
    )
    website = honeypot_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What in the message reads as an emergency: the page warns before it is sent, with
        # each piece of advice once however many reasons share it.
        self.urgent = message_urgency(self.data.get("message", "")) if self.is_bound else []
        # What the resident reads of it, in the page's language.
        self.urgent_labels = [reason.label_in(translation.get_language()) for reason in self.urgent]
        self.urgent_advice = list(
            dict.fromkeys(
                sentence
                for reason in self.urgent
                for sentence in re.split(
                    r"(?<=[.!?])\s+", reason.advice_in(translation.get_language()).strip()
                )
            )
        )
        self.fields["consent"].help_text = format_html(
            gettext(
                'Read the <a class="govuk-link" href="{}">privacy notice</a> to see how we use '
                "and keep your details."
            ),
            reverse("privacy"),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.urgent and not cleaned.get("not_an_emergency"):
            self.add_error(
                "not_an_emergency",
                _(
                    "Your message may describe an emergency. If it is, call 999 now. If it is "
                    "not, tick the box to say so and send your query"
                ),
            )
        preference = cleaned.get("contact_preference")
        if preference == ContactPreference.EMAIL and not cleaned.get("email"):
            if "email" not in self.errors:
                self.add_error("email", _("Enter an email address so we can reply by email"))
        elif (
            preference == ContactPreference.PHONE
            and not cleaned.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error("phone", _("Enter a telephone number so we can call you back"))
        return cleaned


class FollowUpForm(GovukForm):
    message = message_field(_("Your message"))


class NewLinkForm(HoneypotMixin, GovukForm):
    """A resident who lost their tracking link asks for a new one: the reference and the
    email address they gave with the query."""

    reference = forms.CharField(
        label=_("Your query reference"),
        help_text=_("It is in the email we sent when you sent your query, for example DY-7K3P-Q9X"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={
            "required": _("Enter your query reference"),
            "max_length": _("Enter your query reference, like DY-7K3P-Q9X"),
        },
    )
    email = resident_email_field(
        label=_("Email address"),
        help_text=_("The email address you gave when you sent your query"),
    )
    website = honeypot_field()


class AnswerFeedbackForm(GovukForm):
    """ "Did this answer your query?" after an answer, with an optional comment."""

    rating = forms.ChoiceField(
        label=_("Did this answer your query?"),
        choices=Satisfaction.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "required": _("Select yes, partly or no"),
            "invalid_choice": _("Select yes, partly or no"),
        },
    )
    comment = PlainTextField(
        label=_("Tell us more (optional)"),
        help_text=_(
            "Only the officers who answer your query read this. Do not include personal "
            "details of anyone else."
        ),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": format_lazy(
                _("Your comment must be {limit} characters or fewer"),
                limit=f"{COMMENT_MAX_LENGTH:,}",
            )
        },
    )
