"""What staff forms' date fields send, for tests that post or type them: a date field sends
its day, month and year boxes (GOV.UK's date input) as `<name>_day`, `<name>_month` and
`<name>_year`."""

import datetime

from playwright.sync_api import Locator, Page


def date_boxes(name: str, day: datetime.date | str | None) -> dict[str, str]:
    """The boxes of date field `name` filled in with `day` (a date, an ISO date, or empty)."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day) if day else None
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def with_date_boxes(data: dict, *names: str) -> dict:
    """`data` with each of the date fields `names` given as its three boxes (unless `data`
    gives a box itself)."""
    posted = {key: value for key, value in data.items() if key not in names}
    for name in names:
        if name in data:
            for box, value in date_boxes(name, data[name]).items():
                posted.setdefault(box, value)
    return posted


def fill_date(page: Page | Locator, legend: str, day: datetime.date) -> None:
    """Type `day` into the boxes of the date field whose fieldset says `legend`, in Chromium."""
    boxes = page.get_by_role("group", name=legend, exact=True)
    boxes.get_by_label("Day").fill(str(day.day))
    boxes.get_by_label("Month").fill(str(day.month))
    boxes.get_by_label("Year").fill(str(day.year))
