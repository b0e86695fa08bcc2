"""Dates and times as residents read them, in English and in Welsh (GOV.UK style), from the
one formatter in config.dates."""

import datetime

import pytest
from django.utils import translation

from config.dates import (
    LONDON,
    date_time_text,
    day_month_text,
    london_due_display,
    london_time_display,
    month_name_text,
    short_date_text,
    time_text,
)


def london(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("when", "english", "welsh"),
    [
        (london(2026, 6, 1, 19, 0), "Monday 1 June 2026 at 7pm", "dydd Llun 1 Mehefin 2026 am 7pm"),
        (
            london(2026, 6, 2, 9, 30),
            "Tuesday 2 June 2026 at 9:30am",
            "dydd Mawrth 2 Mehefin 2026 am 9:30am",
        ),
        (
            london(2026, 1, 7, 12, 0),
            "Wednesday 7 January 2026 at midday",
            "dydd Mercher 7 Ionawr 2026 am 12 hanner dydd",
        ),
        (
            london(2026, 2, 12, 0, 0),
            "Thursday 12 February 2026 at midnight",
            "dydd Iau 12 Chwefror 2026 am 12 hanner nos",
        ),
        (
            london(2026, 10, 30, 14, 5),
            "Friday 30 October 2026 at 2:05pm",
            "dydd Gwener 30 Hydref 2026 am 2:05pm",
        ),
        (
            london(2026, 12, 5, 0, 45),
            "Saturday 5 December 2026 at 12:45am",
            "dydd Sadwrn 5 Rhagfyr 2026 am 12:45am",
        ),
        (
            london(2026, 3, 29, 23, 59),
            "Sunday 29 March 2026 at 11:59pm",
            "dydd Sul 29 Mawrth 2026 am 11:59pm",
        ),
    ],
)
def test_a_date_and_time_reads_the_same_way_in_both_languages(when, english, welsh):
    with translation.override("en-gb"):
        assert date_time_text(when) == english
    with translation.override("cy"):
        assert date_time_text(when) == welsh


def test_a_utc_time_is_shown_in_london_time_in_welsh():
    # 18:00 UTC in British Summer Time is 7pm in London.
    summer = datetime.datetime(2026, 7, 8, 18, 0, tzinfo=datetime.UTC)

    with translation.override("cy"):
        assert date_time_text(summer) == "dydd Mercher 8 Gorffennaf 2026 am 7pm"


@pytest.mark.parametrize(
    ("month", "name"),
    enumerate(
        [
            "Ionawr",
            "Chwefror",
            "Mawrth",
            "Ebrill",
            "Mai",
            "Mehefin",
            "Gorffennaf",
            "Awst",
            "Medi",
            "Hydref",
            "Tachwedd",
            "Rhagfyr",
        ],
        start=1,
    ),
)
def test_every_month_has_its_welsh_name(month, name):
    with translation.override("cy"):
        assert f" 15 {name} 2027 am " in date_time_text(london(2027, month, 15, 10, 0))


def test_a_welsh_due_date_has_no_year():
    with translation.override("cy"):
        assert london_due_display(london(2026, 6, 12, 15, 45)) == "dydd Gwener 12 Mehefin am 3:45pm"


def test_a_welsh_time_on_another_day_names_the_day():
    now = london(2026, 6, 11, 9, 0)

    with translation.override("cy"):
        assert london_time_display(london(2026, 6, 11, 15, 45), now) == "3:45pm"
        assert (
            london_time_display(london(2026, 6, 12, 12, 0), now)
            == "12 hanner dydd ddydd Gwener 12 Mehefin"
        )
    with translation.override("en-gb"):
        assert london_time_display(london(2026, 6, 12, 12, 0), now) == "midday on Friday 12 June"


def test_midday_and_midnight_on_their_own():
    with translation.override("cy"):
        assert time_text(london(2026, 6, 1, 12, 0)) == "12 hanner dydd"
        assert time_text(london(2026, 6, 1, 0, 0)) == "12 hanner nos"
        assert time_text(london(2026, 6, 1, 12, 30)) == "12:30pm"


@pytest.mark.parametrize(
    ("day", "english", "welsh"),
    [
        (datetime.date(2026, 11, 3), "3 Nov 2026", "3 Tach 2026"),
        (datetime.date(2026, 2, 28), "28 Feb 2026", "28 Chwef 2026"),
        (datetime.date(2026, 7, 6), "6 Jul 2026", "6 Gorff 2026"),
    ],
)
def test_a_short_date_for_a_table_in_both_languages(day, english, welsh):
    with translation.override("en-gb"):
        assert short_date_text(day) == english
    with translation.override("cy"):
        assert short_date_text(day) == welsh


def test_a_day_of_a_month_and_a_month_alone_in_both_languages():
    day = datetime.date(2026, 9, 28)
    with translation.override("en-gb"):
        assert (day_month_text(day), month_name_text(day)) == ("28 September", "September")
    with translation.override("cy"):
        assert (day_month_text(day), month_name_text(day)) == ("28 Medi", "Medi")
