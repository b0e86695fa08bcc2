"""A user at the test provider with exactly these groups (made or changed)."""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--groups", default="", help="comma-separated")

    def handle(self, *args, username, password, email, groups, **options) -> None:
        user, created = User.objects.get_or_create(username=username)
        user.email = email or f"{username}@example.police.uk"
        user.first_name = username.capitalize()
        if created:
            # Only then: a new password would end the user's sign-in at the provider.
            user.set_password(password)
        user.save()
        names = [name for name in groups.split(",") if name]
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in names])
