"""Alerts, sending: each change's email to its immediate subscribers, and each daily
subscriber's one digest, through the outbox.

Emails are written in keyset batches of ALERT_BATCH_SIZE, each batch in one transaction holding
the change's row lock (or its subscribers' row locks), with an AlertDelivery per subscriber: a
retry, or a second worker, finds those deliveries and never sends a subscriber the same change
twice."""

import datetime
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from alerts.models import AlertChange, AlertDelivery, Subscriber
from alerts.subscriptions import manage_url, unsubscribe_headers, unsubscribe_url
from config.bilingual import force_name_context, in_language
from config.http import absolute_url
from notifications.services import OutboxDraft, outbox_emails_enqueue

# Which Subscriber flag says a subscriber wants each kind of change.
KIND_FLAGS = {
    AlertChange.Kind.EVENT: "events",
    AlertChange.Kind.PRIORITY: "priorities",
    AlertChange.Kind.SURVEY: "surveys",
}
KIND_NOUNS = {
    AlertChange.Kind.EVENT: ngettext_lazy("%(count)s event", "%(count)s events", "count"),
    AlertChange.Kind.PRIORITY: ngettext_lazy("%(count)s priority", "%(count)s priorities", "count"),
    AlertChange.Kind.SURVEY: ngettext_lazy("%(count)s survey", "%(count)s surveys", "count"),
}

# A change is stamped when it is written but may commit a moment later: each digest looks
# back this far before the last one, and the deliveries keep anything from being sent twice.
DIGEST_OVERLAP = datetime.timedelta(hours=1)
UNSENT_CHANGES_PER_RUN = 100
ALERT_TEMPLATE = "alerts/email/alert_change"
DIGEST_TEMPLATE = "alerts/email/alert_digest"


def _path_in(path: str, language: str) -> str:
    """A public page's path (stored in English) in `language`: its /cy/ version in Welsh."""
    if language == settings.LANGUAGE_CODE:
        return path
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def _change_context(change: AlertChange, neighbourhood_name: str) -> dict:
    """What an email says of a change, in the active language."""
    return {
        "title": in_language(change, "title"),
        "summary": in_language(change, "summary"),
        "url": absolute_url(_path_in(change.path, translation.get_language())),
        "neighbourhood_name": neighbourhood_name,
        "kind_label": change.get_kind_display(),
    }


def _email_context(subscriber_id: int, **extra) -> dict:
    return {
        "manage_url": manage_url(subscriber_id),
        "unsubscribe_url": unsubscribe_url(subscriber_id),
        **force_name_context(),
        "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
        **extra,
    }


def _forget_after(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.ALERT_EMAIL_DAYS)


def _immediate_batch(change: AlertChange, *, after: int, limit: int) -> list[tuple[int, str, str]]:
    """The next active immediate subscribers of the change's neighbourhood who want its kind
    and have not been sent it, by pk after `after`: (pk, email, language). One SELECT."""
    delivered = AlertDelivery.objects.filter(subscriber_id=OuterRef("pk"), change_id=change.pk)
    return list(
        Subscriber.objects.active()
        .filter(
            frequency=Subscriber.Frequency.IMMEDIATE,
            neighbourhoods=change.neighbourhood_id,
            pk__gt=after,
            **{KIND_FLAGS[change.kind]: True},
        )
        .filter(~Exists(delivered))
        .order_by("pk")
        .values_list("pk", "email", "language")[:limit]
    )


def alert_change_send(
    *, change_id: int, batch_size: int | None = None, now: datetime.datetime | None = None
) -> int:
    """Queue the change's email to each of its immediate subscribers, a batch at a time, then
    mark it sent. Each batch is one transaction holding the change's row lock (SKIP LOCKED:
    when another worker holds it, this one leaves the change to it): one SELECT of
    subscribers, one INSERT of emails, one INSERT of deliveries, one enqueue after the commit.
    Returns how many emails this call queued."""
    limit = batch_size or settings.ALERT_BATCH_SIZE
    queued = 0
    after = 0
    while True:
        with transaction.atomic():
            change = (
                AlertChange.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("neighbourhood")
                .filter(pk=change_id, sent_at__isnull=True)
                .first()
            )
            if change is None:
                return queued  # sent, gone, or being sent by another worker right now
            sent_at = now or timezone.now()
            batch = _immediate_batch(change, after=after, limit=limit)
            if batch:
                # Each subscriber's email in their language: the same statements however
                # many languages the batch holds.
                details: dict[str, dict] = {}
                drafts = []
                for pk, email, language in batch:
                    with translation.override(language):
                        if language not in details:
                            details[language] = _change_context(change, change.neighbourhood.name)
                        drafts.append(
                            OutboxDraft(
                                to=[email],
                                context=_email_context(pk, change=details[language]),
                                headers=unsubscribe_headers(pk),
                                language=language,
                            )
                        )
                outbox_emails_enqueue(
                    template=ALERT_TEMPLATE,
                    drafts=drafts,
                    redact_after_send=True,
                    forget_after=_forget_after(sent_at),
                )
                AlertDelivery.objects.bulk_create(
                    AlertDelivery(subscriber_id=pk, change_id=change.pk) for pk, *_ in batch
                )
                queued += len(batch)
                after = batch[-1][0]
            if len(batch) < limit:
                change.sent_at = sent_at
                change.save(update_fields=["sent_at"])
                return queued


def unsent_change_ids(*, limit: int = UNSENT_CHANGES_PER_RUN) -> list[int]:
    """Changes not sent yet, oldest first (through the partial index `alert_change_unsent`)."""
    return list(
        AlertChange.objects.filter(sent_at__isnull=True)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _digest_pairs(subscribers: list[dict], now: datetime.datetime) -> dict[int, list[AlertChange]]:
    """For each subscriber of the batch, the changes of their neighbourhoods and kinds since
    their last digest (less the overlap) and not sent to them yet. One SELECT."""
    ids = [row["pk"] for row in subscribers]
    through = "neighbourhood__subscribers"
    wants = (
        Q(kind=AlertChange.Kind.EVENT, **{f"{through}__events": True})
        | Q(kind=AlertChange.Kind.PRIORITY, **{f"{through}__priorities": True})
        | Q(kind=AlertChange.Kind.SURVEY, **{f"{through}__surveys": True})
    )
    delivered = AlertDelivery.objects.filter(
        subscriber_id=OuterRef("subscriber_id"), change_id=OuterRef("pk")
    )
    since = Coalesce(F(f"{through}__digest_covered_until"), F(f"{through}__confirmed_at"))
    changes = (
        AlertChange.objects.filter(
            wants,
            **{f"{through}__pk__in": ids},
            created_at__lte=now,
            created_at__gt=since - DIGEST_OVERLAP,
        )
        # Annotated after the filter, so the subscriber is the one the filter matched.
        .annotate(subscriber_id=F(f"{through}__pk"), neighbourhood_name=F("neighbourhood__name"))
        .filter(~Exists(delivered))
        .order_by("created_at", "pk")
    )
    found: dict[int, list[AlertChange]] = defaultdict(list)
    for change in changes:
        found[change.subscriber_id].append(change)
    return found


def _and_list(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c', in the active language."""
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def digest_subject_parts(changes: list[AlertChange]) -> tuple[str, str]:
    """('Normanton and Alvaston', '2 events and 1 priority') for a digest's subject, in the
    active language."""
    names = list(dict.fromkeys(change.neighbourhood_name for change in changes))
    where = _and_list(names)
    if len(names) > 3:
        where = _("%(first)s and %(count)s more") % {
            "first": ", ".join(names[:2]),
            "count": len(names) - 2,
        }
    counts = Counter(change.kind for change in changes)
    parts = [noun % {"count": counts[kind]} for kind, noun in KIND_NOUNS.items() if counts[kind]]
    return where, _and_list(parts)


def alert_digests_send(
    *, now: datetime.datetime | None = None, batch_size: int | None = None
) -> int:
    """Email each daily subscriber ONE digest of what they have not been sent yet, a batch
    of subscribers at a time; nothing to tell, no email. Each batch is one transaction: one
    SELECT of subscribers (locked, SKIP LOCKED, so two runs share them out), one SELECT of
    their changes, one INSERT of emails, one of deliveries, one UPDATE of how far each
    digest has covered. Returns how many digests were queued."""
    now = now or timezone.now()
    limit = batch_size or settings.ALERT_BATCH_SIZE
    queued = 0
    after = 0
    while True:
        with transaction.atomic():
            subscribers = list(
                Subscriber.objects.active()
                .filter(frequency=Subscriber.Frequency.DAILY, pk__gt=after)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values("pk", "email", "language")[:limit]
            )
            if not subscribers:
                return queued
            found = _digest_pairs(subscribers, now)
            drafts = []
            deliveries = []
            for row in subscribers:
                changes = found.get(row["pk"])
                if not changes:
                    continue
                # In the subscriber's language: the same statements whatever the languages.
                with translation.override(row["language"]):
                    where, what = digest_subject_parts(changes)
                    drafts.append(
                        OutboxDraft(
                            to=[row["email"]],
                            context=_email_context(
                                row["pk"],
                                where=where,
                                what=what,
                                changes=[
                                    _change_context(change, change.neighbourhood_name)
                                    for change in changes
                                ],
                            ),
                            headers=unsubscribe_headers(row["pk"]),
                            language=row["language"],
                        )
                    )
                deliveries += [
                    AlertDelivery(subscriber_id=row["pk"], change_id=change.pk)
                    for change in changes
                ]
            if drafts:
                outbox_emails_enqueue(
                    template=DIGEST_TEMPLATE,
                    drafts=drafts,
                    redact_after_send=True,
                    forget_after=_forget_after(now),
                )
                AlertDelivery.objects.bulk_create(deliveries)
            Subscriber.objects.filter(pk__in=[row["pk"] for row in subscribers]).update(
                digest_covered_until=now
            )
            queued += len(drafts)
            after = subscribers[-1]["pk"]
        if len(subscribers) < limit:
            return queued
