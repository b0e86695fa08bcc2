import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from engagement.models import Priority
from meetings.models import Event, Series
from neighbourhoods.demo import boundary_around
from neighbourhoods.models import Division, Force, Neighbourhood, Postcode
from officers.models import Assignment, Officer, Rank

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.police.uk")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password(PASSWORD)


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ["slug"]

    slug = "derbyshire"
    name = "Derbyshire Constabulary (demo)"
    telephone = "101"


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    force = factory.SubFactory(ForceFactory)
    name = factory.Sequence(lambda n: f"Division {n}")
    slug = factory.Sequence(lambda n: f"division-{n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    force = factory.SubFactory(ForceFactory)
    division = factory.SubFactory(DivisionFactory, force=factory.SelfAttribute("..force"))
    code = factory.Sequence(lambda n: f"NB{n:03d}")
    name = factory.Sequence(lambda n: f"Neighbourhood {n}")
    slug = factory.Sequence(lambda n: f"neighbourhood-{n}")
    centre_latitude = 52.92
    centre_longitude = -1.47
    boundary = factory.LazyAttribute(
        lambda n: boundary_around(n.centre_latitude, n.centre_longitude)
    )


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode

    postcode = factory.Sequence(lambda n: f"DE{n % 99 + 1} {n % 9 + 1}AB")
    latitude = 52.92
    longitude = -1.47
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    display_name = factory.Sequence(lambda n: f"Officer {n}")
    rank = Rank.PC
    collar_number = factory.Sequence(lambda n: f"PC{9000 + n}")
    email = factory.Sequence(lambda n: f"officer{n}@example.police.uk")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    officer = factory.SubFactory(OfficerFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    role = Assignment.Role.NAMED_OFFICER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    issue = factory.Sequence(lambda n: f"Local issue {n}")
    action = "Patrols and partnership work."
    issue_date = factory.LazyFunction(timezone.localdate)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    event_type = Event.Type.BEAT_MEETING
    title = factory.Sequence(lambda n: f"Beat meeting {n}")
    venue_name = "Community Centre"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=1))


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    event_type = Event.Type.BEAT_MEETING
    title = factory.Sequence(lambda n: f"Monthly beat meeting {n}")
    venue_name = "Community Centre"
    rrule = "FREQ=MONTHLY;BYDAY=1TU"
    first_starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    duration = datetime.timedelta(hours=1, minutes=30)
