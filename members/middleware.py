"""Two-factor authentication is required for the secretariat admin."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class StaffMfaRequiredMiddleware:
    """Sends a staff user who has no activated TOTP authenticator from every admin page to
    the page that sets one up (while ``MFA_REQUIRED_FOR_STAFF``). Only the admin is guarded,
    so the account, two-factor and log-out pages stay reachable, and so does the admin's
    own log-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MFA_REQUIRED_FOR_STAFF:
            return None
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces or match.url_name == "logout":
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            return None
        messages.warning(
            request,
            _("Set up two-factor authentication with an authenticator app to use the admin."),
        )
        return redirect("mfa_activate_totp")
