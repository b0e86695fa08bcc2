"""SLA tasks: the sweep (every SLA_SWEEP_MINUTES) and the daily retention run.

Overlapping sweeps are safe without a lock of their own: each claims its queries with
SKIP LOCKED and each step is a unique row, so a retried or doubled task changes nothing twice."""

import logging

from celery import shared_task

from queries.services.sla import queries_anonymise_expired, sla_sweep

logger = logging.getLogger(__name__)


@shared_task
def run_sla_sweep() -> int:
    """Take every escalation step that has fallen due."""
    taken = sla_sweep()
    if taken:
        logger.info("SLA sweep took %d escalation step(s)", taken)
    return taken


@shared_task
def anonymise_expired_queries() -> int:
    """Remove residents' personal data from queries closed longer ago than the retention."""
    anonymised = queries_anonymise_expired()
    if anonymised:
        logger.info("Anonymised %d closed queries past retention", anonymised)
    return anonymised
