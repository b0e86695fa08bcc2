"""A series' recurrence rule: an RFC 5545 RRULE evaluated by dateutil in Europe/London wall-clock
time, so "first Tuesday of every month at 7pm" is 7pm in GMT and in BST alike."""

import datetime
from dataclasses import dataclass

from dateutil.rrule import rrulestr
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

from config.dates import LONDON

# The patterns an officer picks from (the RRULE is what is stored, and any valid one works).
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
# Whole sentences, so each language places its ordinal and mutates the day its own way.
MONTHLY = {
    1: gettext_noop("the first %(day)s of every month"),
    2: gettext_noop("the second %(day)s of every month"),
    3: gettext_noop("the third %(day)s of every month"),
    4: gettext_noop("the fourth %(day)s of every month"),
    -1: gettext_noop("the last %(day)s of every month"),
}
# The day names, for makemessages (they are translated where they are shown).
_DAY_NAMES = (
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
    pgettext_lazy("after ail", "Monday"),
    pgettext_lazy("after ail", "Tuesday"),
    pgettext_lazy("after ail", "Wednesday"),
    pgettext_lazy("after ail", "Thursday"),
    pgettext_lazy("after ail", "Friday"),
    pgettext_lazy("after ail", "Saturday"),
    pgettext_lazy("after ail", "Sunday"),
)
# Never expand a rule further than this many occurrences in one go.
MAX_OCCURRENCES = 500


class RuleError(ValueError):
    """The RRULE cannot be read."""


@dataclass(frozen=True)
class Pattern:
    """A repeat an officer can choose: every week or fortnight on a weekday, or the n-th
    weekday of every month."""

    frequency: str  # "weekly", "fortnightly" or "monthly"
    weekday: int  # 0 = Monday
    ordinal: int | None = None  # for monthly: 1-4, or -1 for the last

    def rrule(self) -> str:
        day = WEEKDAYS[self.weekday]
        if self.frequency == "weekly":
            return f"FREQ=WEEKLY;BYDAY={day}"
        if self.frequency == "fortnightly":
            return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
        return f"FREQ=MONTHLY;BYDAY={self.ordinal}{day}"

    def describe(self) -> str:
        """The pattern in words, in the active language ("the first Tuesday of every month")."""
        name = gettext(WEEKDAY_NAMES[self.weekday])
        if self.frequency == "weekly":
            return gettext("every %(day)s") % {"day": name}
        if self.frequency == "fortnightly":
            # Welsh mutates the day after "bob yn ail" (ddydd Mawrth): its own word for it.
            mutated = pgettext("after ail", WEEKDAY_NAMES[self.weekday])
            return gettext("every other %(day)s") % {"day": mutated}
        if self.ordinal == 2:
            mutated = pgettext("after ail", WEEKDAY_NAMES[self.weekday])
            return gettext("the second %(day)s of every month") % {"day": mutated}
        return gettext(MONTHLY[self.ordinal]) % {"day": name}


def occurrences(
    rule: str,
    first_starts_at: datetime.datetime,
    after: datetime.datetime,
    until: datetime.datetime,
) -> list[datetime.datetime]:
    """The aware start times the rule gives in (after, until], at most MAX_OCCURRENCES.

    The rule runs on naive London wall-clock times from the first start, and each result is
    placed in London time, so the wall-clock time holds across the clock changes."""
    local_first = first_starts_at.astimezone(LONDON).replace(tzinfo=None)
    try:
        recurrence = rrulestr(rule, dtstart=local_first)
    except (ValueError, TypeError) as exc:
        raise RuleError(str(exc)) from exc
    lower = after.astimezone(LONDON).replace(tzinfo=None)
    upper = until.astimezone(LONDON).replace(tzinfo=None)
    starts = []
    for local in recurrence.xafter(lower, count=MAX_OCCURRENCES, inc=False):
        if local > upper:
            break
        # fold=0: an hour that happens twice (the October change) means its first, BST, time.
        starts.append(local.replace(tzinfo=LONDON))
    return starts


def validate_rule(rule: str) -> None:
    """Raise RuleError unless the RRULE can be read and repeats."""
    try:
        recurrence = rrulestr(rule, dtstart=datetime.datetime(2000, 1, 1))  # noqa: DTZ001
    except (ValueError, TypeError) as exc:
        raise RuleError(str(exc)) from exc
    if next(iter(recurrence.xafter(datetime.datetime(2000, 1, 1), count=1)), None) is None:  # noqa: DTZ001
        raise RuleError("The rule gives no dates")
