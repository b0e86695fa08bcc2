"""The organisations allowed to send queries through Open311, each with its own key."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Client(models.Model):
    """A council, FixMyStreet or civic app that posts residents' queries through Open311.

    Only the SHA-256 of its key is kept: the key is shown once, when it is issued. A revoked
    client's key is refused from then on; its queries stay as they are."""

    name = models.CharField(
        max_length=100,
        unique=True,
        help_text=_("The organisation, as staff will see it on the queries it sends."),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(
        max_length=8, editable=False, help_text=_("The key's first characters, to tell keys apart.")
    )
    requests_per_hour = models.PositiveIntegerField(
        default=60, help_text=_("How many requests it may post in an hour; more are refused.")
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        """What staff see of where a query came from."""
        return f"Open311: {self.name}"
