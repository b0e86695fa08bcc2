"""What residents said about the answers to a query, as its staff page shows it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from queries.models import AnswerFeedback, Query

COMMENT_HIDDEN = _("Hidden: only the officers who answer the query read residents' comments.")


@dataclass(frozen=True)
class FeedbackEntry:
    feedback: AnswerFeedback
    # The comment, or "" when the reader may not see the resident's words (OPCC).
    comment: str
    comment_hidden: bool


def query_feedback(*, query: Query, see_resident: bool) -> list[FeedbackEntry]:
    """Each answer's feedback, oldest answer first. The comment may name people, so only those
    who answer the query read it (QueryAccess.see_resident). One statement."""
    rows = AnswerFeedback.objects.filter(query_id=query.pk).select_related("clock")
    return [
        FeedbackEntry(
            feedback=row,
            comment=row.comment if see_resident else "",
            comment_hidden=bool(row.comment) and not see_resident,
        )
        for row in rows.order_by("clock__number")
    ]
