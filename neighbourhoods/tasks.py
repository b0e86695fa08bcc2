"""Celery tasks of neighbourhoods: placing postcodes again after boundaries change."""

from celery import shared_task
from django.db import OperationalError

from neighbourhoods.postcodes import postcodes_relocate


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=5,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    # A pass over every postcode in the country can outlast the default limits.
    soft_time_limit=600,
    time_limit=660,
)
def relocate_postcodes(neighbourhood_ids: list[int] | None = None) -> int:
    """Place again the postcodes in and around these neighbourhoods after their boundaries
    changed (every postcode when None: the nightly check that nothing was missed); answer how
    many moved. Running it twice moves nothing the second time."""
    ids = None if neighbourhood_ids is None else list(neighbourhood_ids)
    return postcodes_relocate(neighbourhood_ids=ids)
