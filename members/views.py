"""The invitation link."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from members.adapters import invitation_refused_response, invitation_remember
from members.models import Invitation
from members.services import invitation_refusal


@never_cache
@require_safe
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation e-mail: a valid one opens the sign-up form for the
    invited address in this session; an unknown one answers 404, a used, revoked or
    expired one 410. Nothing is written to the database here."""
    invitation = (
        Invitation.objects.select_related("contact__institute")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    if invitation is None:
        return invitation_refused_response(
            request, _("This invitation link is not valid."), status=404
        )
    reason = invitation_refusal(invitation=invitation)
    if reason is not None:
        return invitation_refused_response(request, reason, status=410)
    if request.user.is_authenticated:
        return invitation_refused_response(
            request,
            _("You are signed in. Sign out, then open the invitation link again."),
            status=409,
        )
    invitation_remember(request=request, invitation=invitation)
    return redirect("account_signup")
