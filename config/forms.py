"""Forms render in the GOV.UK Frontend patterns: label, hint, error message, then the control.
The fields and widgets every app's forms share live here too: radios and checkboxes the error
summary can link to, sized inputs, plain text, dates and times as people type them."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

from config.text import line_breaks_normalised

WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "date": "govuk-input",
    "datetime": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = WIDGET_CLASSES.get(self.widget_type)
        if css:
            # Keep the widget's own classes (a width, say) as well as any passed in.
            own = (widget or self.field.widget).attrs.get("class", "")
            classes = [css, *own.split(), *attrs.get("class", "").split()]
            if self.errors and css != "govuk-checkboxes__input":
                classes.append(f"{css}--error")
            attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs


class GovukFormMixin:
    """Mix into a form so each field renders with GOV.UK classes and error ids."""

    bound_field_class = GovukBoundField


class GovukForm(GovukFormMixin, forms.Form):
    pass


CHECKBOXES_TEMPLATE = "forms/govuk_checkboxes.html"
RADIOS_TEMPLATE = "forms/govuk_radios.html"


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def add_service_errors(
    form: forms.Form, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Show what a service refused next to the form field it concerns (`fields` maps a
    service's field name to the form's, where they differ), or at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = (fields or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)


# --- Fields and widgets the apps' forms share -----------------------------------------------

TOO_LONG = "Write {limit_value:,} characters or fewer"
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.]?(?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")


class SizedMixin:
    """A GOV.UK text input of a fixed width (`govuk-input--width-<width>`)."""

    def __init__(self, *args, width: int, **kwargs) -> None:
        attrs = dict(kwargs.pop("attrs", None) or {})
        attrs["class"] = f"{attrs.get('class', '')} govuk-input--width-{width}".strip()
        super().__init__(*args, attrs=attrs, **kwargs)


# Named as Django's own, so the form renderer still knows them as text, date and time inputs.
class TextInput(SizedMixin, forms.TextInput):
    pass


class DateInput(SizedMixin, forms.DateInput):
    input_type = "date"


class TimeInput(SizedMixin, forms.TimeInput):
    pass


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose field links (the error summary's) go to the first box."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class GovukRadios(forms.RadioSelect):
    """Radios whose field links (the error summary's) go to the first one."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class PlainTextField(forms.CharField):
    """Text with one kind of line break, so a length counts what was typed."""

    def __init__(self, *, rows: int = 5, **kwargs) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)
        self.error_messages.setdefault("max_length", TOO_LONG)

    def to_python(self, value):
        return line_breaks_normalised(super().to_python(value))


def parse_time(text: str) -> datetime.time | None:
    """19:00, 19.00, 1900, 7pm, 7:30pm, 7.30 pm, midday, noon or midnight; None otherwise
    (a lone "7" could be morning or evening)."""
    text = "".join(text.split()).lower()
    if text in {"midday", "noon", "12noon"}:
        return datetime.time(12)
    if text == "midnight":
        return datetime.time(0)
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    elif match["minute"] is None and hour <= 12:
        return None
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class TimeOfDayField(forms.TimeField):
    """A London wall-clock time as officers write it (see parse_time)."""

    widget = TimeInput(format="%H:%M", width=5, attrs={"spellcheck": "false"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        parsed = parse_time(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def time_field(label: str, missing: str = "", *, example: str = "19:00 or 7pm") -> TimeOfDayField:
    """A staff form's time of day: required when `missing` (its message) is given."""
    return TimeOfDayField(
        label=label,
        required=bool(missing),
        help_text=f"For example, {example}",
        error_messages={"required": missing, "invalid": f"Enter a time, like {example}"},
    )


# What the date control sends, and what people type where a browser shows a text box instead.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
REAL_DATE = "Enter a real date, for example 6 10 2026"


def date_field(
    label: str, *, help_text: str = "For example, 6 10 2026", missing: str = ""
) -> forms.DateField:
    """A staff form's date: required when `missing` (its message) is given."""
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=bool(missing),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(format="%Y-%m-%d", width=10),
        error_messages={"invalid": REAL_DATE, **({"required": missing} if missing else {})},
    )


def text_field(label: str, max_length: int, help_text: str = "", **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        error_messages={"max_length": TOO_LONG, **kwargs.pop("error_messages", {})},
        **kwargs,
    )


class ServiceErrorsMixin:
    """Show what a service refused next to the field it concerns (`SERVICE_FIELDS` maps a
    model field to the form's field that holds it), or at the top of the form."""

    SERVICE_FIELDS: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error, self.SERVICE_FIELDS)


# --- What every public form that takes a resident's email address shares ---------------------

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def resident_email_field(
    *, label: str = "Email address", help_text: str = "", required: bool = True
) -> forms.EmailField:
    messages = {
        "invalid": EMAIL_FORMAT,
        "max_length": "Your email address must be 254 characters or fewer",
    }
    if required:
        messages["required"] = "Enter your email address"
    return forms.EmailField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages=messages,
    )


def honeypot_field() -> forms.CharField:
    """A field for robots: hidden from sight and from the tab order, so people leave it empty.
    Name it `website` and mix HoneypotMixin into the form."""
    return forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        template_name="forms/honeypot.html",
    )


class HoneypotMixin:
    @property
    def is_from_robot(self) -> bool:
        """The honeypot was filled: answer as usual, and store and send nothing."""
        return bool(str(self.data.get("website", "")).strip())
