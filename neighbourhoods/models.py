from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The keys of each entry of Neighbourhood.locations, as data.police.uk names them.
LOCATION_KEYS = (
    "name",
    "type",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "description",
    "telephone",
)


class Force(models.Model):
    """A police force. `slug` is its data.police.uk id, e.g. `derbyshire`."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    # [{"url", "title", "description"}], as data.police.uk's engagement_methods.
    engagement_methods = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="divisions")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "slug"], name="division_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class NeighbourhoodQuerySet(models.QuerySet):
    def for_force(self, force: Force) -> "NeighbourhoodQuerySet":
        return self.filter(force=force)


class Neighbourhood(models.Model):
    """A policing neighbourhood. `code` is its force-scoped id, e.g. `DC01`."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="neighbourhoods")
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="neighbourhoods", null=True, blank=True
    )
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    # The Welsh of `name` and `description` (config.bilingual), blank until written.
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    slug = models.SlugField(max_length=200)
    # HTML: cleaned with nh3 by the admin form and the import, and again wherever it is shown.
    description = models.TextField(blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    # A GeoJSON Polygon or MultiPolygon geometry in WGS84 (longitude, latitude).
    boundary = models.JSONField(null=True, blank=True)
    centre_latitude = models.FloatField(null=True, blank=True)
    centre_longitude = models.FloatField(null=True, blank=True)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    # The force's own page for the neighbourhood (data.police.uk's url_force).
    url_force = models.URLField(blank=True)
    # Other contact routes by data.police.uk's keys: {"facebook": url, "twitter": url, ...}.
    social_links = models.JSONField(default=dict, blank=True)
    # [{"url", "title", "description"}]
    links = models.JSONField(default=list, blank=True)
    # Police stations and other places: [{"name", "type", "address", "postcode",
    # "latitude", "longitude", "description", "telephone"}]
    locations = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeighbourhoodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "code"], name="neighbourhood_unique_code"),
            # Public URLs carry the slug alone, so it is unique across forces.
            models.UniqueConstraint(fields=["slug"], name="neighbourhood_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("neighbourhoods:detail", kwargs={"slug": self.slug})

    _UNKNOWN = object()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._boundary_as_loaded = instance.__dict__.get("boundary", cls._UNKNOWN)
        return instance

    def boundary_changed(self) -> bool:
        """Whether the boundary differs from what was last read from or written to the
        database (a new neighbourhood's boundary counts as changed)."""
        return getattr(self, "_boundary_as_loaded", self._UNKNOWN) != self.boundary

    def boundary_stored(self) -> None:
        self._boundary_as_loaded = self.boundary


class Postcode(models.Model):
    """A postcode in normal form (`DE1 1AA`) and the neighbourhood its centre lies in."""

    postcode = models.CharField(max_length=8, unique=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, related_name="postcodes", null=True
    )

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode
