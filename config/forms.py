"""Forms render in the GOV.UK Frontend patterns: label, hint, error message, then the control.
The fields and widgets every app's forms share live here too: radios and checkboxes the error
summary can link to, sized inputs, plain text, dates and times as people type them."""

import copy
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.bilingual import SUFFIX as WELSH_SUFFIX
from config.bilingual import welsh_field, welsh_on
from config.phones import PHONE_INVALID, phone_number_format
from config.text import line_breaks_normalised

WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "date": "govuk-input",
    "datetime": "govuk-input",
    "time": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if isinstance(widget or self.field.widget, GovukDateInput):
            # Only the wrong parts of a date are marked (see GovukDateInput.get_context).
            attrs.pop("aria-invalid", None)
            attrs[GovukDateInput.WRONG_PARTS] = self.date_parts_wrong
            return attrs
        css = WIDGET_CLASSES.get(self.widget_type)
        if css:
            # Keep the widget's own classes (a width, say) as well as any passed in.
            own = (widget or self.field.widget).attrs.get("class", "")
            classes = [css, *own.split(), *attrs.get("class", "").split()]
            if self.errors and css != "govuk-checkboxes__input":
                classes.append(f"{css}--error")
            attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs

    @property
    def date_parts_wrong(self) -> tuple[str, ...]:
        """The parts (day, month, year) of a date field its errors are about: those a message
        names, or all three for an error about the whole date."""
        if not self.errors:
            return ()
        wrong: set[str] = set()
        for error in self.errors.as_data():
            wrong.update((error.params or {}).get("parts") or DATE_PARTS)
        return tuple(part for part in DATE_PARTS if part in wrong)

    @property
    def id_for_label(self):
        """A date field's links (the error summary's) go to its first wrong part, or its day."""
        if not isinstance(self.field.widget, GovukDateInput):
            return super().id_for_label
        id_ = self.field.widget.attrs.get("id") or self.auto_id
        return f"{id_}_{(self.date_parts_wrong or DATE_PARTS)[0]}" if id_ else ""


class GovukFormMixin:
    """Mix into a form so each field renders with GOV.UK classes and error ids."""

    bound_field_class = GovukBoundField


class GovukForm(GovukFormMixin, forms.Form):
    pass


CHECKBOXES_TEMPLATE = "forms/govuk_checkboxes.html"
RADIOS_TEMPLATE = "forms/govuk_radios.html"
DATE_FIELD_TEMPLATE = "forms/govuk_date_field.html"


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

TOO_LONG = _("Write {limit} characters or fewer")


def too_long(limit: int) -> str:
    """The message for text past its limit: Django fills only %-style fields in a field's
    own messages, so the limit is written in here, with its thousands comma."""
    return format_lazy(TOO_LONG, limit=f"{limit:,}")


_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.]?(?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")


class SizedMixin:
    """A GOV.UK text input of a fixed width (`govuk-input--width-<width>`)."""

    def __init__(self, *args, width: int, **kwargs) -> None:
        attrs = dict(kwargs.pop("attrs", None) or {})
        attrs["class"] = f"{attrs.get('class', '')} govuk-input--width-{width}".strip()
        super().__init__(*args, attrs=attrs, **kwargs)


# Named as Django's own, so the form renderer still knows them as text and time inputs.
class TextInput(SizedMixin, forms.TextInput):
    pass


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
        if self.max_length is not None:
            self.error_messages.setdefault("max_length", too_long(self.max_length))

    def to_python(self, value):
        return line_breaks_normalised(super().to_python(value))


class PhoneNumberField(forms.CharField):
    """A UK telephone number, kept in its national format, with one message for anything else
    (config.phones); with `non_emergency` (an officer's public number), 101 too."""

    def __init__(self, *, non_emergency: bool = False, **kwargs) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = PHONE_INVALID
        self.non_emergency = non_emergency

    def clean(self, value):
        return phone_number_format(super().clean(value), non_emergency=self.non_emergency)


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
        help_text=format_lazy(_("For example, {example}"), example=example),
        error_messages={
            "required": missing,
            "invalid": format_lazy(_("Enter a time, like {example}"), example=example),
        },
    )


# --- Dates: the GOV.UK date input, a day, a month and a year ---------------------------------

DATE_PARTS = ("day", "month", "year")
DATE_EXAMPLE = "27 3 2027"
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DIGITS = re.compile(r"^\d+$")
# How people type a whole date: the day, month and year, in that order, with spaces, slashes,
# dots or dashes between; the month as a number, a name or its first three letters or more;
# the year in 4 numbers, or 2 (this century) after the day and month, where it cannot be
# taken for either. A year first (2026-10-06, the browser's date control and links) takes 4.
_SEP = r"[\s./,-]+"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>\d{1,2}|[a-z]{3,}\.?)"
_NAMED_MONTH = r"(?P<month>[a-z]{3,}\.?)"
_YEAR = r"(?P<year>\d{4}|\d{2})"
_WHOLE_DATES = (
    re.compile(rf"^{_DAY}{_SEP}{_MONTH}{_SEP}{_YEAR}$"),
    re.compile(rf"^{_NAMED_MONTH}{_SEP}{_DAY}{_SEP}{_YEAR}$"),
    re.compile(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})$"),
)
# More than one part of a date in one box: numbers or a month's name with a separator between.
_WHOLE_DATE_TYPED = re.compile(r"\w[\s./,-]+\w")


def parse_date(text: str) -> datetime.date | None:
    """6/10/2026, 6.10.2026, 6-10-2026, 6 10 2026, 6/10/26, 6 October 2026, 6 Oct 2026,
    October 6 2026 or 2026-10-06; None for anything else, or a day that does not exist (31
    February, a 13th month)."""
    text = " ".join(text.split()).lower()
    for pattern in _WHOLE_DATES:
        match = pattern.match(text)
        if match:
            break
    else:
        return None
    month = _month(match["month"])
    year = int(match["year"])
    if len(match["year"]) == 2:
        year += 2000
    if month is None:
        return None
    try:
        return datetime.date(year, month, int(match["day"]))
    except ValueError:
        return None


class GovukDateInput(forms.MultiWidget):
    """GOV.UK's date input: Day, Month and Year boxes named `<name>_day`, `<name>_month` and
    `<name>_year`, shown in a fieldset by forms/govuk_date_field.html. With `single_name`, a
    date under the field's own name (`?from=2026-10-01`) is read when the boxes are absent, so
    links made before the boxes still work."""

    template_name = "forms/govuk_date_input.html"
    # Not an HTML attribute: which parts the bound field's errors are about, to mark them.
    WRONG_PARTS = "wrong_parts"
    WIDTHS = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None, *, single_name: bool = False) -> None:
        boxes = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )
            for part, width in self.WIDTHS.items()
        }
        super().__init__(boxes, attrs)
        self.single_name = single_name

    def decompress(self, value):
        if isinstance(value, str):
            value = parse_date(value)
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        single = data.get(name) if self.single_name else None
        if single and super().value_omitted_from_data(data, files, name):
            day = parse_date(single)
            # Not a date: the whole text in each box, so it is shown back and refused.
            return self.decompress(day) if day else [single] * 3
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        omitted = super().value_omitted_from_data(data, files, name)
        return omitted and not (self.single_name and name in data)

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        wrong = attrs.pop(self.WRONG_PARTS, ())
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        for part, box in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            box["label"] = DATE_PART_LABELS[part]
            if id_:
                box["attrs"]["id"] = f"{id_}_{part}"
            if part in wrong:
                box["attrs"]["class"] += " govuk-input--error"
                box["attrs"]["aria-invalid"] = "true"
        return context


def _number(text: str, low: int, high: int) -> int | None:
    return int(text) if _DIGITS.match(text) and low <= int(text) <= high else None


def _month(text: str) -> int | None:
    """1 to 12, or a month's name or its first three letters."""
    name = text.lower().rstrip(".")
    for number, month in enumerate(MONTHS, start=1):
        if len(name) >= 3 and month.startswith(name):
            return number
    return _number(text, 1, 12)


DATE_PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
DATE_PART_NAMES = {"day": _("day"), "month": _("month"), "year": _("year")}


def _parts_text(parts: list[str]) -> str:
    names = [str(DATE_PART_NAMES[part]) for part in parts]
    if len(names) == 1:
        return names[0]
    return gettext("%(parts)s and %(last)s") % {"parts": ", ".join(names[:-1]), "last": names[-1]}


class GovukDateField(forms.MultiValueField):
    """A date typed as a day, a month and a year (GovukDateInput). Its messages name the date
    (`subject`), and say which parts are missing or wrong: only those are marked."""

    widget = GovukDateInput

    def __init__(self, *, subject: str, **kwargs) -> None:
        kwargs.setdefault("template_name", DATE_FIELD_TEMPLATE)
        boxes = [forms.CharField(required=False) for _ in DATE_PARTS]
        super().__init__(fields=boxes, require_all_fields=False, **kwargs)
        self.subject = subject

    def _not_a_date(self) -> str:
        return gettext("%(subject)s must be a real date") % {"subject": self.subject}

    def _refuse(self, message: str, code: str, parts: list[str]) -> ValidationError:
        return ValidationError(message, code=code, params={"parts": tuple(parts)})

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        filled = [text for text in data_list if text]
        if len(filled) == 1 and _WHOLE_DATE_TYPED.search(filled[0]):
            # The whole date typed in one box, as it would be in one text box.
            whole = parse_date(filled[0])
            if whole is None:
                raise self._refuse(self._not_a_date(), "invalid", list(DATE_PARTS))
            return whole
        texts = dict(zip(DATE_PARTS, data_list, strict=True))
        missing = [part for part in DATE_PARTS if not texts[part]]
        if missing:
            message = gettext("%(subject)s must include a %(parts)s") % {
                "subject": self.subject,
                "parts": _parts_text(missing),
            }
            raise self._refuse(message, "incomplete", missing)
        day = _number(texts["day"], 1, 31)
        month = _month(texts["month"])
        year = _number(texts["year"], 1000, 9999)
        wrong = [
            part
            for part, number in zip(DATE_PARTS, (day, month, year), strict=True)
            if number is None
        ]
        if wrong == ["year"] and not (_DIGITS.match(texts["year"]) and len(texts["year"]) == 4):
            message = gettext("%(subject)s must include a year with 4 numbers") % {
                "subject": self.subject
            }
            raise self._refuse(message, "year", wrong)
        if wrong:
            raise self._refuse(self._not_a_date(), "invalid", wrong)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            # 31 February: no one part is wrong, so the whole date is.
            raise self._refuse(self._not_a_date(), "invalid", list(DATE_PARTS)) from None


def date_field(
    label: str,
    *,
    help_text: str = "",
    missing: str = "",
    subject: str = "",
    example: str = DATE_EXAMPLE,
    single_name: bool = False,
) -> GovukDateField:
    """A staff form's date, in GOV.UK's date input: required when `missing` (its message) is
    given. `subject` names the date in messages ("Start date must be a real date"; the label
    by default); the hint ends with `example`, a date the field accepts."""
    example_text = format_lazy(_("For example, {example}"), example=example)
    hint = format_lazy("{} {}", help_text, example_text) if help_text else example_text
    if not subject:
        subject = label.removesuffix(" (optional)") if isinstance(label, str) else label
    return GovukDateField(
        label=label,
        help_text=hint,
        required=bool(missing),
        subject=subject,
        widget=GovukDateInput(single_name=single_name),
        error_messages={"required": missing} if missing else {},
    )


class DateInput(forms.DateInput):
    """The browser's date control (it sends 2026-10-06), ten characters wide. Named as
    Django's own, so the form renderer gives it the GOV.UK input classes."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["class"] = f"{widget_attrs.get('class', '')} govuk-input--width-10".strip()
        return context


class TypedDateField(forms.DateField):
    """A date in one text box (the browser's date control, or a link's `?from=`), read the
    ways parse_date reads it; its message names the date (`subject`)."""

    widget = DateInput

    def __init__(self, *, subject: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.error_messages["invalid"] = format_lazy(
            _("{subject} must be a real date, like 6/10/2026"), subject=subject
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        parsed = parse_date(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def text_field(label: str, max_length: int, help_text: str = "", **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        error_messages={"max_length": too_long(max_length), **kwargs.pop("error_messages", {})},
        **kwargs,
    )


class ServiceErrorsMixin:
    """Show what a service refused next to the field it concerns (`SERVICE_FIELDS` maps a
    model field to the form's field that holds it), or at the top of the form."""

    SERVICE_FIELDS: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error, self.SERVICE_FIELDS)


# --- What every public form that takes a resident's email address shares ---------------------

EMAIL_FORMAT = _("Enter an email address in the correct format, like name@example.com")


def resident_email_field(
    *, label: str = "", help_text: str = "", required: bool = True
) -> forms.EmailField:
    messages = {
        "invalid": EMAIL_FORMAT,
        "max_length": _("Your email address must be 254 characters or fewer"),
    }
    if required:
        messages["required"] = _("Enter your email address")
    return forms.EmailField(
        label=label or _("Email address"),
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
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        template_name="forms/honeypot.html",
    )


class HoneypotMixin:
    @property
    def is_from_robot(self) -> bool:
        """The honeypot was filled: answer as usual, and store and send nothing."""
        return bool(str(self.data.get("website", "")).strip())


# --- What officers and administrators write, in English and Welsh (config.bilingual) ----------

WELSH_PAIR_TEMPLATE = "forms/govuk_welsh_pair.html"
WELSH_TWIN_TEMPLATE = "forms/govuk_welsh_twin.html"


class WelshPairBoundField(GovukBoundField):
    """An English field shown with its Welsh twin beside it (forms/govuk_welsh_pair.html)."""

    @property
    def welsh(self) -> BoundField:
        return self.form[welsh_field(self.name)]


class WelshTwinsMixin:
    """A form of text residents read: each field in WELSH_TWINS has its Welsh twin (`title_cy`,
    a copy of the English field unless the form declares it) beside it, where the force has
    Welsh switched on. An English-only force's form has no Welsh field and ignores any posted."""

    WELSH_TWINS: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not welsh_on():
            for name in self.WELSH_TWINS:
                self.fields.pop(welsh_field(name), None)
            return
        fields = {}
        for name, field in self.fields.items():
            if name.endswith(WELSH_SUFFIX) and name.removesuffix(WELSH_SUFFIX) in self.WELSH_TWINS:
                continue
            fields[name] = field
            if name in self.WELSH_TWINS:
                twin = welsh_field(name)
                fields[twin] = self._welsh_twin(field, self.fields.get(twin))
        self.fields = fields

    @staticmethod
    def _welsh_twin(english: forms.Field, declared: forms.Field | None) -> forms.Field:
        twin = declared or copy.deepcopy(english)
        twin.required = False
        twin.initial = None
        twin.label = _("Welsh (Cymraeg)")
        twin.help_text = format_lazy(
            _("The Welsh of “{label}”. Left empty, Welsh pages show the English."),
            label=english.label,
        )
        twin.widget.attrs["lang"] = "cy"
        twin.template_name = WELSH_TWIN_TEMPLATE
        english.template_name = WELSH_PAIR_TEMPLATE
        english.bound_field_class = WelshPairBoundField
        return twin
