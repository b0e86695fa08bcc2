"""Dates typed into staff forms: what the date control sends, and what people type where a
browser shows a text box instead."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from config.forms import date_field


@pytest.mark.parametrize("typed", ["2026-10-06", "6 10 2026", "06/10/2026", "6-10-2026"])
def test_a_staff_date_is_read_as_the_control_sends_it_or_as_people_type_it(typed):
    assert date_field("Date").clean(typed) == datetime.date(2026, 10, 6)


def test_a_date_that_does_not_exist_gets_the_hint_again():
    with pytest.raises(ValidationError, match="Enter a real date, for example 6 10 2026"):
        date_field("Date").clean("31 2 2026")
