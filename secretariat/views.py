from pathlib import PurePosixPath

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.files import file_response
from secretariat.enums import AnswerChannel
from secretariat.forms import AnswerForm
from secretariat.models import Answer, Delivery
from secretariat.selectors import circulated_pdf
from secretariat.services.circulation import answer_record, delivery_from_answer_token


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The answer page behind the signed link in a circulation e-mail: no login; the link
    opens only its own recipient's answer to its own circulation."""
    try:
        delivery = delivery_from_answer_token(token)
    except Delivery.DoesNotExist:
        raise Http404(_("This answer link is not valid.")) from None
    existing = Answer.objects.filter(delivery=delivery).first()
    initial = (
        {
            "attendance": existing.attendance,
            "attendees": existing.attendees,
            "remarks": existing.remarks,
        }
        if existing
        else None
    )
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Answered from the member portal when the signed-in user is a contact of the
        # institute the document went to; otherwise through the e-mail's link.
        user = request.user if request.user.is_authenticated else None
        contact = getattr(user, "contact", None)
        in_portal = contact is not None and contact.institute_id == delivery.institute_id
        answer_record(
            delivery=delivery,
            channel=AnswerChannel.PORTAL if in_portal else AnswerChannel.LINK,
            by=user if in_portal else None,
            **form.cleaned_data,
        )
        messages.success(request, _("Thank you: your answer has been recorded."))
        return redirect(request.path)
    return render(
        request,
        "secretariat/answer.html",
        {
            "delivery": delivery,
            "token": token,
            "paper": delivery.circulation.paper,
            "pdf": circulated_pdf(circulation=delivery.circulation),
            "form": form,
            "answer": existing,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def answer_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    """The document exactly as it was circulated, for whoever holds that recipient's
    signed link (the link in the e-mail, or the member's dashboard)."""
    try:
        delivery = delivery_from_answer_token(token)
    except Delivery.DoesNotExist:
        raise Http404(_("This answer link is not valid.")) from None
    pdf = circulated_pdf(circulation=delivery.circulation)
    if pdf is None:
        raise Http404(_("This document has no PDF."))
    return file_response(
        pdf.open("rb"),
        content_type="application/pdf",
        filename=PurePosixPath(str(pdf.name)).name,
        inline=True,
    )
