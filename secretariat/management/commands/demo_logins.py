"""Creates (or resets) the local demo logins and prints them. For `make run` only."""

import secrets

from allauth.account.models import EmailAddress
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
            admin, _ = User.objects.get_or_create(username="admin")
            admin.email = "admin@example.org"
            admin.is_staff = admin.is_superuser = admin.is_active = True
            logins.append(("superuser", admin, self._reset(admin)))
            for secretariat in Secretariat.objects.order_by("name"):
                user, _ = User.objects.get_or_create(username=f"staff-{secretariat.slug}"[:150])
                user.email = f"staff@{secretariat.slug}.example.org"
                user.is_staff = user.is_active = True
                logins.append((f"staff of {secretariat.name}", user, self._reset(user)))
                user.groups.add(group)
                secretariat.staff.add(user)
        self.stdout.write(self.style.SUCCESS("\nLog in at http://127.0.0.1:8000/admin/ with:"))
        for role, user, password in logins:
            self.stdout.write(f"  {user.email:<60} {password}   ({role})")
        if not settings.MFA_REQUIRED_FOR_STAFF:
            self.stdout.write(
                "  (two-factor authentication is not required in this local run; "
                "production requires it for staff)"
            )
        self.stdout.write("")

    @staticmethod
    def _reset(user) -> str:
        """A fresh password, and the login's e-mail address marked verified (logins are by
        e-mail, and an unverified address would first be sent a confirmation)."""
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        EmailAddress.objects.filter(user=user).exclude(email=user.email).delete()
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        return password
