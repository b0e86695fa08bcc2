"""Public queries and their 72-hour clock, the escalation steps taken, and the emails sent
about them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    ANTI_SOCIAL_BEHAVIOUR = "asb", _("Anti-social behaviour")
    DRUGS = "drugs", _("Drugs")
    ROAD_SAFETY = "road_safety", _("Road safety")
    NEIGHBOUR_DISPUTE = "neighbour_dispute", _("Neighbour dispute")
    CRIME_PREVENTION = "crime_prevention", _("Crime prevention advice")
    OTHER = "other", _("Something else")


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")


class QueryQuerySet(models.QuerySet):
    def open(self) -> "QueryQuerySet":
        return self.filter(status=Query.Status.OPEN)

    def escalation_due(self, now) -> "QueryQuerySet":
        """Only what is due: the indexed next_escalation_at, never a scan of every query.
        Strictly after the step's time: an answer exactly at the deadline meets the target, so
        the breach notice must not go at that same instant."""
        return self.filter(next_escalation_at__lt=now)


class Query(models.Model):
    """A resident's non-urgent query to a neighbourhood team, on the response clock.

    A clock runs from `clock_started_at` (the submission, or a resident's follow-up after an
    answer) to `due_at`; the first reply sent to the resident stops it. `next_escalation_at` is
    when the next ladder step falls due, None when none is left or the clock is stopped."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a response")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(max_length=12, unique=True)
    # SHA-256 of the resident's private tracking token: the token itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="queries"
    )
    topic = models.CharField(max_length=30, choices=Topic.choices)
    message = models.TextField()
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    contact_preference = models.CharField(max_length=10, choices=ContactPreference.choices)
    consented_at = models.DateTimeField()

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_officer = models.ForeignKey(
        "officers.Officer",
        on_delete=models.SET_NULL,
        related_name="assigned_queries",
        null=True,
        blank=True,
    )
    # Why it went where it did: "named officer", "no named officer", "named officer away".
    routing_reason = models.CharField(max_length=200, blank=True)
    # What in the message reads as an emergency (queries.urgency), as staff read it, e.g.
    # ["Crime in progress"]: the query is flagged, never delayed or blocked.
    urgent_reasons = models.JSONField(default=list, blank=True)
    # Where the query came from when not the portal's own form, e.g. "Open311: FixMyStreet".
    source = models.CharField(max_length=120, blank=True)
    # The language the resident wrote in (a code of LANGUAGES): emails to them use it.
    language = models.CharField(max_length=10, default="en-gb")

    submitted_at = models.DateTimeField()
    clock = models.PositiveSmallIntegerField(default=1)
    clock_started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    next_escalation_step = models.CharField(max_length=20, blank=True)

    # The first response to the first clock, for the dashboards.
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    first_response_met_target = models.BooleanField(null=True, blank=True)
    # Who held the query when it was first answered (officer figures belong to them).
    first_response_officer = models.ForeignKey(
        "officers.Officer",
        on_delete=models.SET_NULL,
        related_name="first_answered_queries",
        null=True,
        blank=True,
    )

    resident_escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QueryQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = _("queries")
        indexes = [
            # The sweep reads only what is due: its cost follows the due rows, not the table.
            models.Index(
                fields=["next_escalation_at"],
                name="query_next_escalation",
                condition=Q(next_escalation_at__isnull=False),
            ),
            models.Index(fields=["neighbourhood", "status", "due_at"], name="query_inbox"),
            models.Index(fields=["assigned_officer", "status", "due_at"], name="query_officer"),
            models.Index(fields=["submitted_at"], name="query_submitted"),
            # The dashboards count queries flagged for urgent words by period.
            models.Index(
                fields=["submitted_at"],
                include=["neighbourhood"],
                name="query_urgent",
                condition=~Q(urgent_reasons=[]),
            ),
            # The dashboards count residents' escalations by period.
            models.Index(
                fields=["resident_escalated_at"],
                # With the neighbourhood, a scope's escalations are counted from the index.
                include=["neighbourhood"],
                name="query_resident_escalated",
                condition=Q(resident_escalated_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("queries_staff:detail", kwargs={"reference": self.reference})


class QueryEvent(models.Model):
    """One thing that happened to a query, shown as its history: who, when, what."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Query received"
        RESIDENT_MESSAGE = "resident_message", "Message from the resident"
        REPLY = "reply", "Reply sent to the resident"
        NOTE = "note", "Internal note"
        ROUTED = "routed", "Routed"
        REASSIGNED = "reassigned", "Reassigned"
        URGENT = "urgent", "Urgent words noticed"
        FIRST_LOOK = "first_look", "First look asked for"
        REMINDER = "reminder", "Reminder sent"
        BREACH = "breach", "Response target missed"
        ESCALATION = "escalation", "Escalated"
        RESIDENT_ESCALATION = "resident_escalation", "Escalated by the resident"
        CLOSED = "closed", "Closed"
        ANONYMISED = "anonymised", "Personal details removed"

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="query_events",
        null=True,
        blank=True,
    )
    body = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["query", "created_at"], name="query_event_timeline")]

    def __str__(self) -> str:
        return f"{self.query_id} {self.kind}"


class EscalationStep(models.Model):
    """A ladder step taken for a query's clock. The unique constraint is what makes each step
    happen exactly once, however many sweeps run at the same time."""

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="escalation_steps")
    clock = models.PositiveSmallIntegerField()
    step = models.CharField(max_length=20)
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["taken_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["query", "clock", "step"], name="escalation_step_once_per_clock"
            )
        ]

    def __str__(self) -> str:
        return f"{self.query_id} clock {self.clock} {self.step}"


class ResponseClock(models.Model):
    """One response owed to a resident: the first clock of a query, and each new clock a
    follow-up after an answer starts. The dashboards count these rows, so every figure is an
    aggregate over an indexed table, never a walk through queries and their history.

    `held_by` is the officer the query was assigned to when it was answered: officer figures
    belong to them; neighbourhood figures to the query's neighbourhood. `ended_at` is set when
    the query is closed with this clock still running (it ends without an answer)."""

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="clocks")
    number = models.PositiveSmallIntegerField()
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(max_length=30, choices=Topic.choices)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    met_target = models.BooleanField(null=True, blank=True)
    held_by = models.ForeignKey(
        "officers.Officer", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    # The reply that stopped this clock: the answer a resident is asked about (AnswerFeedback).
    answer = models.OneToOneField(
        QueryEvent,
        on_delete=models.SET_NULL,
        related_name="answered_clock",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["query", "number"], name="response_clock_once"),
        ]
        indexes = [
            models.Index(fields=["started_at"], name="clock_started"),
            models.Index(fields=["neighbourhood", "started_at"], name="clock_neighbourhood"),
            models.Index(fields=["held_by", "started_at"], name="clock_held_by"),
            # Clocks still running: "open now", "at risk" and "breached" read only these.
            models.Index(
                fields=["due_at"],
                name="clock_running",
                condition=Q(answered_at__isnull=True, ended_at__isnull=True),
            ),
            # Running clocks by query: a drill-down of running clocks checks each query it
            # lists, newest first, against its running clock.
            models.Index(
                fields=["query", "due_at"],
                name="clock_running_query",
                condition=Q(answered_at__isnull=True, ended_at__isnull=True),
            ),
            # Clocks not answered: the few not yet due are not missed yet, whatever the period.
            models.Index(
                fields=["due_at"],
                name="clock_unanswered",
                condition=Q(answered_at__isnull=True),
            ),
            # The response times of first clocks by start: the percentiles read only these.
            models.Index(
                fields=["started_at", "response_seconds", "neighbourhood"],
                name="clock_first_answers",
                condition=Q(number=1, answered_at__isnull=False),
            ),
            # The first answers of one hour of response time (ResponseTimeDay.hour) by start:
            # a percentile reads only the period's rows of the hour holding it.
            models.Index(
                F("response_seconds") / 3600,
                "started_at",
                "response_seconds",
                "neighbourhood",
                name="clock_first_answer_hours",
                condition=Q(number=1, answered_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.query_id} clock {self.number}"


class Satisfaction(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class AnswerFeedback(models.Model):
    """The resident's answer to "Did this answer your query?" about one answer: the reply that
    stopped a response clock. Once per answer (the clock is its key). The comment is personal
    data, for the officers who answer the query: it goes when the query is anonymised, and the
    dashboards never read it; they count ratings through the clock (its neighbourhood, holder
    and answer time)."""

    clock = models.OneToOneField(
        ResponseClock, on_delete=models.CASCADE, primary_key=True, related_name="feedback"
    )
    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="feedback")
    rating = models.CharField(max_length=10, choices=Satisfaction.choices)
    comment = models.TextField(blank=True)
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name_plural = _("answer feedback")

    def __str__(self) -> str:
        return f"{self.query_id} clock {self.clock_id}: {self.rating}"


# The counts each day and week row keeps, in the order of their covering indexes' keys.
CLOCK_COUNTS = [
    "received",  # first clocks
    "responses_due",  # every clock
    "answered",
    "met",  # answered by the deadline
    "late",  # answered after it
    "first_answered",
    "running",  # neither answered nor closed
    "ended_late",  # closed unanswered at or after the deadline
]


class ClockCounts(models.Model):
    """What a day row and a week row both count, for one neighbourhood and topic."""

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    topic = models.CharField(max_length=30, choices=Topic.choices)
    received = models.IntegerField(default=0)
    responses_due = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    met = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    first_answered = models.IntegerField(default=0)
    running = models.IntegerField(default=0)
    ended_late = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ClockDay(ClockCounts):
    """The response clocks started on one London day in one neighbourhood on one topic,
    counted, so a dashboard sums a few rows a day however many clocks there are.

    PostgreSQL keeps these rows itself: triggers on ResponseClock add and take away each
    inserted, changed or deleted clock in the same statement, so the counts are always those
    of the clock rows, whoever wrote them (migration 0012 says how). Every count is exact and
    none depends on the time it is read: what does (whether a clock is past its deadline yet)
    is read from the few clocks not yet due. On other databases the table stays empty and the
    dashboards count the clock rows directly."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "neighbourhood", "topic"], name="clock_day_once"
            ),
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "day"], name="clock_day_area"),
            # Every count in the key too: a period's sums are read from the index alone.
            models.Index(
                fields=["day", "neighbourhood", "topic", *CLOCK_COUNTS], name="clock_day_sums"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.neighbourhood_id} {self.topic}"


class ClockWeek(ClockCounts):
    """The day counts (ClockDay) summed by London week, from Monday: a long period sums its
    whole weeks from these rows and only the days of the part weeks at its ends from the day
    rows, a seventh of the rows. Kept by the same triggers, in the same statement, from the
    changes they add to the day rows (migration 0013)."""

    week = models.DateField()  # the Monday

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["week", "neighbourhood", "topic"], name="clock_week_once"
            ),
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "week"], name="clock_week_area"),
            # Every count in the key too: a period's sums are read from the index alone.
            models.Index(
                fields=["week", "neighbourhood", "topic", *CLOCK_COUNTS], name="clock_week_sums"
            ),
        ]

    def __str__(self) -> str:
        return f"week of {self.week} {self.neighbourhood_id} {self.topic}"


class ClockAreaWeek(ClockCounts):
    """The week counts (ClockWeek) summed over topics: one row per London week and
    neighbourhood, what the weekly trend reads, so three years of weeks are a row per week
    and neighbourhood however many topics the queries had. Kept by the same triggers, in the
    same statement (migration 0018)."""

    topic = None
    week = models.DateField()  # the Monday

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "neighbourhood"], name="clock_area_week_once"),
        ]
        indexes = [
            # Every count in the key too: a period's sums are read from the index alone.
            models.Index(
                fields=["week", "neighbourhood", *CLOCK_COUNTS], name="clock_area_week_sums"
            ),
        ]

    def __str__(self) -> str:
        return f"week of {self.week} {self.neighbourhood_id}"


class ClockMonth(ClockCounts):
    """The day counts (ClockDay) summed by London calendar month: a period of months or years
    sums its whole months from these rows, its whole weeks outside them from the week rows and
    only the days left over from the day rows, so a year reads twelve rows per neighbourhood
    and topic where the week rows would be fifty-two. Kept by the same triggers, in the same
    statement (migration 0018)."""

    month = models.DateField()  # its first day

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "neighbourhood", "topic"], name="clock_month_once"
            ),
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "month"], name="clock_month_area"),
            # Every count in the key too: a period's sums are read from the index alone.
            models.Index(
                fields=["month", "neighbourhood", "topic", *CLOCK_COUNTS], name="clock_month_sums"
            ),
        ]

    def __str__(self) -> str:
        return f"month of {self.month} {self.neighbourhood_id} {self.topic}"


class RunningClocks(models.Model):
    """How many clocks are running (neither answered nor closed) in one neighbourhood now, kept
    by the same triggers as ClockDay: "open now" and "breached" for a scope are a sum over its
    neighbourhoods less the few running clocks not yet due, however many queries wait."""

    neighbourhood = models.OneToOneField(
        "neighbourhoods.Neighbourhood",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    running = models.IntegerField(default=0)

    class Meta:
        verbose_name_plural = _("running clocks")

    def __str__(self) -> str:
        return f"{self.neighbourhood_id}: {self.running}"


# The counts each answer day and week row keeps, in the order of their covering indexes' keys.
ANSWER_COUNTS = ["answers", "rated", "yes", "partly", "no"]


class AnswerCounts(models.Model):
    """What an answer day row and week row both count, for one neighbourhood: the answers sent
    (clocks answered) and the residents' ratings of them (AnswerFeedback), by when the answer
    was sent."""

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    answers = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    yes = models.IntegerField(default=0)
    partly = models.IntegerField(default=0)
    no = models.IntegerField(default=0)

    class Meta:
        abstract = True


class AnswerDay(AnswerCounts):
    """The answers sent on one London day in one neighbourhood and how residents rated them,
    counted, so the satisfaction figures sum a few rows a day however many answers there are.

    PostgreSQL keeps these rows itself, as it does ClockDay: triggers on ResponseClock (an
    answer sent, moved or taken back, a clock deleted) and on AnswerFeedback (a rating given,
    changed or deleted) add and take away each change in the same statement (migration 0014
    says how). On other databases the table stays empty and the dashboards count the clock
    rows directly."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "neighbourhood"], name="answer_day_once"),
        ]
        indexes = [
            # Every count in the key too: a period's sums are read from the index alone.
            models.Index(fields=["day", "neighbourhood", *ANSWER_COUNTS], name="answer_day_sums"),
        ]

    def __str__(self) -> str:
        return f"answers of {self.day} {self.neighbourhood_id}"


class AnswerWeek(AnswerCounts):
    """The answer day counts (AnswerDay) summed by London week, from Monday, kept by the same
    triggers in the same statement: a long period reads its whole weeks from these rows."""

    week = models.DateField()  # the Monday

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "neighbourhood"], name="answer_week_once"),
        ]
        indexes = [
            models.Index(fields=["week", "neighbourhood", *ANSWER_COUNTS], name="answer_week_sums"),
        ]

    def __str__(self) -> str:
        return f"answers of the week of {self.week} {self.neighbourhood_id}"


class QueryEmail(models.Model):
    """That an email in the outbox is about a query: the query's retention then applies to it
    (the resident's address and words go when the query's do), and staff find a query's
    emails by its reference."""

    email = models.OneToOneField(
        "notifications.OutboxEmail",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="query_link",
    )
    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="email_links")

    def __str__(self) -> str:
        return f"Email {self.email_id} about query {self.query_id}"


class ResponseTimeCounts(models.Model):
    """How many first clocks started on a day (or in a week) were answered within each whole
    hour of response time, for one neighbourhood, or for the whole force when `neighbourhood`
    is empty: the median and 90th percentile find the hour holding their rank from these rows
    and then read only that hour's clocks (dashboards.selectors.percentiles)."""

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
    )
    hour = models.IntegerField(help_text="response_seconds // 3600")
    first_answers = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ResponseTimeDay(ResponseTimeCounts):
    """The first answers of the clocks started on one London day, by hour of response time.

    PostgreSQL keeps these rows itself, as it keeps ClockDay: statement-level triggers on
    ResponseClock add and take away each clock answered, moved, taken back or deleted, in the
    same statement (migration 0015 says how). On other databases the table stays empty and the
    percentiles sort the clock rows directly."""

    day = models.DateField()

    class Meta:
        constraints = [
            # The area first, so the force's rows (no neighbourhood) are read apart; the count
            # in the index too, so a period's hours are read from the index alone.
            models.UniqueConstraint(
                fields=["neighbourhood", "day", "hour"],
                include=["first_answers"],
                nulls_distinct=False,
                name="response_time_day_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.neighbourhood_id or 'force'} hour {self.hour}"


class ResponseTimeWeek(ResponseTimeCounts):
    """The response time day counts (ResponseTimeDay) summed by London week, from Monday, kept
    by the same triggers in the same statement: a long period reads its whole weeks here."""

    week = models.DateField()  # the Monday

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "week", "hour"],
                include=["first_answers"],
                nulls_distinct=False,
                name="response_time_week_once",
            ),
        ]

    def __str__(self) -> str:
        return f"week of {self.week} {self.neighbourhood_id or 'force'} hour {self.hour}"


class ResponseTimeMonth(ResponseTimeCounts):
    """The response time day counts (ResponseTimeDay) summed by London calendar month, kept by
    the same triggers in the same statement: a period of months or years reads its whole
    months here, and its weeks and days outside them from the week and day rows."""

    month = models.DateField()  # its first day

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "month", "hour"],
                include=["first_answers"],
                nulls_distinct=False,
                name="response_time_month_once",
            ),
        ]

    def __str__(self) -> str:
        return f"month of {self.month} {self.neighbourhood_id or 'force'} hour {self.hour}"
