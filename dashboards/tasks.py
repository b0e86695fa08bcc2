"""The public scorecards, worked out again every PUBLIC_SCORECARD_REFRESH_MINUTES."""

import logging

from celery import shared_task

from dashboards.public import scorecards_refresh

logger = logging.getLogger(__name__)


@shared_task
def refresh_public_scorecards() -> int:
    """Work out every public scorecard again and keep it in the cache. Running twice at once
    only writes the same figures twice."""
    count = scorecards_refresh()
    logger.info("Refreshed %d public scorecard(s)", count)
    return count
