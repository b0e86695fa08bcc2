"""The form helpers every app shares (config/forms.py): one way to read a typed date, one kind
of line break in every multi-line field, one rule and one message for a telephone number."""

import datetime
import inspect

import pytest
from django import forms

from alerts import forms as alerts_forms
from config.forms import (
    PHONE_INVALID,
    GovukForm,
    PlainTextField,
    TypedDateField,
    date_field,
    parse_date,
    phone_number_format,
    text_field,
)
from dashboards import forms as dashboard_forms
from dashboards import report_forms as dashboard_report_forms
from engagement import forms as engagement_forms
from meetings import forms as meeting_forms
from meetings import staff_forms as meeting_staff_forms
from neighbourhoods import forms as neighbourhood_forms
from officers import forms as officer_forms
from queries import forms as query_forms
from queries import staff_forms as query_staff_forms
from queries.forms import ContactForm

OCT_6 = datetime.date(2026, 10, 6)

# --- Dates ------------------------------------------------------------------------------------

ACCEPTED_DATES = [
    ("6/10/2026", OCT_6),
    ("06/10/2026", OCT_6),
    ("6.10.2026", OCT_6),
    ("06.10.2026", OCT_6),
    ("6-10-2026", OCT_6),
    ("6 10 2026", OCT_6),
    (" 6  10  2026 ", OCT_6),
    ("6/10/26", OCT_6),
    ("6.10.26", OCT_6),
    ("6 October 2026", OCT_6),
    ("6 october 2026", OCT_6),
    ("6 Oct 2026", OCT_6),
    ("6 Oct. 2026", OCT_6),
    ("6-Oct-2026", OCT_6),
    ("6th October 2026", OCT_6),
    ("October 6, 2026", OCT_6),
    ("6 Sept 2026", datetime.date(2026, 9, 6)),
    ("2026-10-06", OCT_6),
    ("2026-10-6", OCT_6),
    ("29/2/2028", datetime.date(2028, 2, 29)),
]
REFUSED_DATES = [
    "31/2/2026",
    "29 February 2026",
    "2026-13-01",
    "32/10/2026",
    "6/13/2026",
    "6 Octember 2026",
    "6/10",
    "6/10/202",
    "26/10/06/1",
    "10-06",
    "not a date",
    "\x00",
    "",
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED_DATES)
def test_a_date_is_read_the_ways_people_type_it(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", REFUSED_DATES)
def test_what_is_not_a_real_date_is_not_read_as_one(text):
    assert parse_date(text) is None


class FilterForm(GovukForm):
    on = TypedDateField(label="On date", subject="The on date", required=False)


@pytest.mark.parametrize(("text", "expected"), ACCEPTED_DATES)
def test_a_date_typed_as_one_text_accepts_every_way(text, expected):
    form = FilterForm({"on": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == expected


@pytest.mark.parametrize("text", ["31/2/2026", "2026-13-01", "6 Octember 2026"])
def test_a_date_typed_as_one_text_refuses_with_a_clear_message(text):
    form = FilterForm({"on": text})
    assert form.errors["on"] == ["The on date must be a real date, like 6/10/2026"]


def test_the_events_list_reads_dates_the_same_way_as_every_form():
    form = meeting_forms.EventFilterForm({"from": "6.10.2026", "to": "6 Oct 26"}, neighbourhoods=[])
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["from"], form.cleaned_data["to"]) == (OCT_6, OCT_6)


class StartForm(GovukForm):
    start_date = date_field("Start date", missing="Enter the start date")


@pytest.mark.parametrize(("text", "expected"), ACCEPTED_DATES)
def test_a_whole_date_typed_in_one_box_of_the_three_is_read(text, expected):
    form = StartForm({"start_date_day": text, "start_date_month": "", "start_date_year": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] == expected


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        (("31/2/2026", "", ""), "Start date must be a real date"),
        (("", "2026-13-01", ""), "Start date must be a real date"),
        (("6 Octember 2026", "", ""), "Start date must be a real date"),
        (("6", "", ""), "Start date must include a month and year"),
    ],
)
def test_a_whole_date_in_one_box_that_is_not_a_real_date_says_so(boxes, message):
    day, month, year = boxes
    form = StartForm({"start_date_day": day, "start_date_month": month, "start_date_year": year})
    assert form.errors["start_date"] == [message]


def test_a_link_to_a_dashboard_takes_a_date_typed_any_way():
    # Links and bookmarks hold the date under the field's own name, as one text.
    field = date_field("From date", single_name=True)
    widget = field.widget
    assert widget.value_from_datadict({"from": "6.10.26"}, {}, "from") == ["6", "10", "2026"]
    assert field.clean(widget.value_from_datadict({"from": "6 Oct 2026"}, {}, "from")) == OCT_6


# --- Line breaks ------------------------------------------------------------------------------

FORM_MODULES = (
    alerts_forms,
    neighbourhood_forms,
    officer_forms,
    meeting_forms,
    meeting_staff_forms,
    engagement_forms,
    query_forms,
    query_staff_forms,
    dashboard_forms,
    dashboard_report_forms,
)


def _multi_line_fields() -> list:
    found = []
    for module in FORM_MODULES:
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            for field_name, field in cls.base_fields.items():
                if isinstance(field.widget, forms.Textarea):
                    found.append(pytest.param(field, id=f"{name}.{field_name}"))
    return found


MULTI_LINE_FIELDS = _multi_line_fields()


def test_the_multi_line_fields_are_all_found():
    assert len(MULTI_LINE_FIELDS) >= 10


@pytest.mark.parametrize("field", MULTI_LINE_FIELDS)
def test_every_multi_line_field_keeps_one_kind_of_line_break(field):
    assert isinstance(field, PlainTextField)
    assert field.clean("One\r\nTwo\rThree\nFour") == "One\nTwo\nThree\nFour"


@pytest.mark.parametrize(
    "field",
    [PlainTextField(max_length=20_000), text_field("Issue", 5_000)],
    ids=["PlainTextField", "text_field"],
)
def test_text_past_its_limit_says_the_limit_in_figures(field):
    limit = field.max_length
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("x" * (limit + 1))
    assert refused.value.messages == [f"Write {limit:,} characters or fewer"]


def test_access_needs_count_a_line_break_as_one_character():
    limit = meeting_forms.NEEDS_MAX_LENGTH
    needs = "\r\n".join(["x" * 9] * (limit // 10))
    form = meeting_forms.RegistrationForm(
        {"name": "Sam Resident", "email": "sam@example.com", "accessibility_needs": needs}
    )
    assert form.is_valid(), form.errors
    assert "\r" not in form.cleaned_data["accessibility_needs"]


# --- Telephone numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("01332 123456", "01332 123456"),
        ("01332123456", "01332 123456"),
        ("+44 (0)1332 123456", "01332 123456"),
        ("07911 123456", "07911 123456"),
        # Ofcom's numbers for drama and examples, which the forms' hints use.
        ("01632 960 001", "01632 960001"),
        ("07700 900 982", "07700 900982"),
        ("+44 808 157 0192", "0808 157 0192"),
        ("020 7946 0000", "020 7946 0000"),
        ("", ""),
    ],
)
def test_a_uk_telephone_number_is_kept_in_its_national_format(typed, kept):
    assert phone_number_format(typed) == kept


@pytest.mark.parametrize(
    "typed", ["12345", "+33 1 23 45 67 89", "call me", "999", "101", "0800 555 11111111"]
)
def test_anything_else_is_refused_with_one_message(typed):
    with pytest.raises(forms.ValidationError) as refused:
        phone_number_format(typed)
    assert refused.value.messages == [PHONE_INVALID]


def test_an_officer_may_give_101_as_their_public_number():
    assert phone_number_format("101", non_emergency=True) == "101"


def contact(phone: str) -> ContactForm:
    return ContactForm(
        {
            "topic": "asb",
            "message": "Young people gather by the shops at night.",
            "name": "Sam Resident",
            "phone": phone,
            "contact_preference": "phone",
            "consent": "on",
        }
    )


@pytest.mark.parametrize("typed", ["12345", "+33 1 23 45 67 89"])
def test_the_contact_form_refuses_what_is_not_a_uk_number(typed):
    form = contact(typed)
    assert form.errors["phone"] == [PHONE_INVALID]


def test_the_contact_form_keeps_a_number_in_its_national_format():
    form = contact("+44 (0)1632 960001")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "01632 960001"


@pytest.mark.django_db
def test_the_officer_profile_takes_the_numbers_the_contact_form_takes():
    from tests.factories import OfficerFactory

    form = officer_forms.OfficerProfileForm(
        {"phone": "01632 960 001"}, officer=OfficerFactory.build()
    )
    form.is_valid()
    assert "phone" not in form.errors
    assert form.cleaned_data["phone"] == "01632 960001"

    refused = officer_forms.OfficerProfileForm({"phone": "12345"}, officer=OfficerFactory.build())
    assert refused.errors["phone"] == [PHONE_INVALID]
