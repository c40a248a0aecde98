"""Creates (or resets) the local demo logins and prints them. For `make run` only."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from forums.models import Secretariat


class Command(BaseCommand):
    help = "Create or reset an admin and one staff login per secretariat; print them."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_logins sets known passwords: it runs only with DEBUG=1.")
        User = get_user_model()
        group = Group.objects.get(name="Secretariat staff")
        logins = []
        with transaction.atomic():
            admin, _ = User.objects.get_or_create(
                username="admin", defaults={"email": "admin@localhost"}
            )
            admin.is_staff = admin.is_superuser = admin.is_active = True
            logins.append(("superuser", admin, self._reset(admin)))
            for secretariat in Secretariat.objects.order_by("name"):
                user, _ = User.objects.get_or_create(
                    username=f"staff-{secretariat.slug}"[:150],
                    defaults={"email": f"staff@{secretariat.slug}.localhost"},
                )
                user.is_staff = user.is_active = True
                logins.append((f"staff of {secretariat.name}", user, self._reset(user)))
                user.groups.add(group)
                secretariat.staff.add(user)
        self.stdout.write(self.style.SUCCESS("\nLog in at http://127.0.0.1:8000/admin/ as:"))
        for role, user, password in logins:
            self.stdout.write(f"  {user.username:<60} {password}   ({role})")
        self.stdout.write("")

    @staticmethod
    def _reset(user) -> str:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        return password
