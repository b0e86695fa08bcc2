"""Dates and times in staff forms: GOV.UK's date input (day, month and year boxes) and a
styled time box, on every staff form, each with a hint whose example the field accepts."""

import datetime
import inspect
import re

import pytest
from django import forms

from config.forms import DATE_PARTS, GovukDateField, GovukForm, TimeOfDayField, date_field
from dashboards import forms as dashboard_forms
from engagement import forms as engagement_forms
from meetings import staff_forms as meeting_forms
from neighbourhoods.models import Neighbourhood
from officers import forms as officer_forms
from officers.models import Officer
from patrols import forms as patrol_forms
from patrols.models import Hotspot
from queries import staff_forms as query_forms
from tests.html import element, elements, value

TODAY = datetime.date(2026, 12, 4)

# Every staff form, made as its view makes it (with no data) for `user`.
STAFF_FORMS = {
    "AbstractionForm": lambda user: officer_forms.AbstractionForm(with_officer=False),
    "AwayForm": lambda user: officer_forms.AwayForm(),
    "EventForm": lambda user: meeting_forms.EventForm(),
    "SeriesForm": lambda user: meeting_forms.SeriesForm(),
    "PastMeetingForm": lambda user: meeting_forms.PastMeetingForm(),
    "PriorityForm": lambda user: engagement_forms.PriorityForm(),
    "SurveyForm": lambda user: engagement_forms.SurveyForm(),
    "DashboardFilterForm": lambda user: dashboard_forms.DashboardFilterForm(
        {}, user=user, today=TODAY
    ),
    "PatrolForm": lambda user: patrol_forms.PatrolForm(
        hotspots=Hotspot.objects.none(), team=Officer.objects.none()
    ),
    "HotspotForm": lambda user: patrol_forms.HotspotForm(
        neighbourhoods=Neighbourhood.objects.none()
    ),
}
STAFF_FORM_MODULES = (
    officer_forms,
    meeting_forms,
    engagement_forms,
    dashboard_forms,
    query_forms,
    patrol_forms,
)
DATE_EXAMPLE = re.compile(r"For example, (\d{1,2}) (\d{1,2}) (\d{4})\b")


def dated_fields(form: forms.BaseForm) -> list[tuple[str, forms.Field]]:
    kinds = (forms.DateField, forms.TimeField, forms.DateTimeField, GovukDateField)
    return [(name, field) for name, field in form.fields.items() if isinstance(field, kinds)]


CASES = [
    pytest.param(make, name, id=f"{form_name}.{name}")
    for form_name, make in STAFF_FORMS.items()
    for name, _ in dated_fields(make(None))
]


def test_every_staff_form_with_a_date_or_time_is_checked_here():
    declared = {
        name
        for module in STAFF_FORM_MODULES
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm)
        and cls.__module__ == module.__name__
        and dated_fields(_bare(cls))
    }
    assert declared <= set(STAFF_FORMS)
    # The dashboard's filters add their dates when made, so this list names them itself.
    assert {case.id.split(".")[0] for case in CASES} == set(STAFF_FORMS)


def _bare(cls: type[forms.BaseForm]) -> forms.BaseForm:
    form = cls.__new__(cls)
    form.fields = cls.base_fields
    return form


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "name"), CASES)
def test_each_hint_s_example_is_accepted_by_its_field(make, name):
    form = make(None)
    field = form.fields[name]
    hint = str(field.help_text)
    if isinstance(field, GovukDateField):
        day, month, year = DATE_EXAMPLE.search(hint).groups()
        assert field.clean([day, month, year]) == datetime.date(int(year), int(month), int(day))
    else:
        assert isinstance(field, TimeOfDayField), "a staff time is a TimeOfDayField"
        examples = hint.removeprefix("For example, ").split(" or ")
        assert len(examples) == 2
        for example in examples:
            assert isinstance(field.clean(example), datetime.time)


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "name"), CASES)
def test_each_date_is_three_boxes_and_each_time_a_styled_box(make, name, opcc_account):
    form = make(opcc_account)
    html = str(form[name].as_field_group())

    assert not elements(html, "input", type="date")
    if isinstance(form.fields[name], GovukDateField):
        assert element(html, "fieldset", class_="govuk-fieldset", role="group")
        assert element(html, "div", class_="govuk-date-input")
        for part, width in (("day", 2), ("month", 2), ("year", 4)):
            box = element(html, "input", type="text", name=f"{name}_{part}")
            assert {"govuk-input", "govuk-date-input__input", f"govuk-input--width-{width}"} <= (
                box.classes
            )
            assert box.attrs["inputmode"] == "numeric"
            assert box.attrs["id"] == f"id_{name}_{part}"
            label = element(html, "label", for_=f"id_{name}_{part}")
            assert label.classes == {"govuk-label", "govuk-date-input__label"}
    else:
        box = element(html, "input", type="text", name=name)
        assert box.classes == {"govuk-input", "govuk-input--width-5"}


class StartForm(GovukForm):
    start_date = date_field("Start date", missing="Enter the start date")


def posted(day: str, month: str, year: str) -> StartForm:
    return StartForm({"start_date_day": day, "start_date_month": month, "start_date_year": year})


@pytest.mark.parametrize(
    ("boxes", "expected"),
    [
        (("6", "10", "2026"), datetime.date(2026, 10, 6)),
        (("06", "10", "2026"), datetime.date(2026, 10, 6)),
        ((" 6 ", "Oct", "2026"), datetime.date(2026, 10, 6)),
        (("6", "October", "2026"), datetime.date(2026, 10, 6)),
        (("29", "2", "2028"), datetime.date(2028, 2, 29)),
    ],
)
def test_a_date_is_read_from_its_day_month_and_year_boxes(boxes, expected):
    form = posted(*boxes)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] == expected


@pytest.mark.parametrize(
    ("boxes", "message", "wrong"),
    [
        (("", "", ""), "Enter the start date", DATE_PARTS),
        (("6", "", "2026"), "Start date must include a month", ("month",)),
        (("", "", "2026"), "Start date must include a day and month", ("day", "month")),
        (("6", "13", "2026"), "Start date must be a real date", ("month",)),
        (("32", "10", "2026"), "Start date must be a real date", ("day",)),
        (("31", "2", "2026"), "Start date must be a real date", DATE_PARTS),
        (("6", "10", "26"), "Start date must include a year with 4 numbers", ("year",)),
        (("six", "ten", "2026"), "Start date must be a real date", ("day", "month")),
    ],
)
def test_a_wrong_date_says_what_is_wrong_and_marks_only_the_wrong_boxes(boxes, message, wrong):
    form = posted(*boxes)

    assert form.errors["start_date"] == [message]
    html = str(form["start_date"].as_field_group())
    error = element(html, "*", class_="govuk-error-message")
    assert error.text == f"Error: {message}"
    assert element(error, "span", class_="govuk-visually-hidden").text == "Error:"
    for part in DATE_PARTS:
        box = element(html, "input", type="text", name=f"start_date_{part}")
        assert ("govuk-input--error" in box.classes) == (part in wrong), part
        assert (box.attrs.get("aria-invalid") == "true") == (part in wrong), part
    # The error summary links to the first box that is wrong.
    assert form["start_date"].id_for_label == f"id_start_date_{wrong[0]}"
    # What was typed is shown back.
    for part, typed in zip(DATE_PARTS, boxes, strict=True):
        if typed.strip():
            assert value(html, f"start_date_{part}") == typed


def test_an_error_from_elsewhere_marks_the_whole_date():
    form = posted("6", "10", "2026")
    form.is_valid()
    form.add_error("start_date", "The start date must be in the past")

    html = str(form["start_date"].as_field_group())
    assert len(elements(html, "input", class_="govuk-input--error")) == 3
    assert form["start_date"].id_for_label == "id_start_date_day"


def test_a_date_shown_for_editing_fills_the_boxes():
    html = str(StartForm(initial={"start_date": datetime.date(2026, 10, 6)})["start_date"])
    assert value(html, "start_date_day") == "6"
    assert value(html, "start_date_month") == "10"
    assert value(html, "start_date_year") == "2026"
