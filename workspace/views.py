"""The member workspace (``/members/``): pages for a signed-in contact of a member
institute, combining members, actionplans, publications and secretariat.

Every view needs a login that is an active institute contact (``member_required``); every
object is read through a selector that starts from that contact's institute, so another
institute's object answers 404 whatever id is guessed. Writes go through the services.
"""

import mimetypes
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from actionplans.services import moderation_volunteer
from core.files import file_response
from members.forms import ContactForm, HarvestSourceForm, InstituteProfileForm, RecommendationForm
from members.harvesting import harvest_source_member_update
from members.models import Contact
from members.selectors import (
    workspace_admitted_forums,
    workspace_contact,
    workspace_contacts,
    workspace_focal_points,
    workspace_harvest_runs,
    workspace_memberships,
)
from members.services import (
    institute_contact_save,
    institute_profile_update,
    recommendation_submit,
)
from publications.enums import PublicationStatus
from publications.forms import SubmissionForm
from publications.models import Publication
from publications.rules import is_open_to_its_members
from publications.services import (
    PublicationLocked,
    publication_submit,
    publication_update,
    publication_withdraw,
)
from secretariat.models import Delivery
from secretariat.services.circulation import answer_token
from workspace.selectors import (
    AWAITING_ON_DASHBOARD,
    LATEST_SUBMISSIONS,
    MEMBER_PAGE_SIZE,
    UPCOMING_MEETINGS,
    workspace_awaiting_answer,
    workspace_moderations,
    workspace_publication,
    workspace_publication_counts,
    workspace_publications,
    workspace_recommendations,
    workspace_upcoming_meetings,
    workspace_workshop_activities,
)

# The latest harvests shown on the institute's repository page.
HARVEST_RUNS_SHOWN = 10


_Row = TypeVar("_Row", bound=Model | None)


class MemberRequest(HttpRequest):
    """A request ``member_required`` let through: its user is signed in."""

    user: User


def member_required(view: Callable) -> Callable:
    """Anonymous visitors go to the login page; a login that is no active institute
    contact gets a 403 page that says so. Staff and superuser logins never pass as a
    member, even if bound to a contact: the secretariat acts in the admin, where it is
    scoped to its own forums, never as an institute."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        contact = None if user.is_staff or user.is_superuser else workspace_contact(user=user)
        if contact is None:
            return render(request, "workspace/not_a_member.html", status=403)
        return view(request, contact, *args, **kwargs)

    return wrapper


def one_transaction_on_post(view: Callable) -> Callable:
    """A POST runs in one transaction: the rows ``_locked`` reads stay locked until the
    form has been compared with the page as opened (``core.concurrency``) and saved, so
    nobody's change lands in between."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return wrapper


def _locked(request: HttpRequest, row: _Row) -> _Row:
    """``row`` read again and locked, on a POST (``one_transaction_on_post``)."""
    if request.method != "POST" or row is None or row.pk is None:
        return row
    return type(row)._default_manager.select_for_update().get(pk=row.pk)


def _publication_or_404(contact: Contact, pk: int) -> Publication:
    try:
        return workspace_publication(contact=contact, pk=pk)
    except Publication.DoesNotExist as exc:
        raise Http404(_("No such submission.")) from exc


def _page(request: HttpRequest, rows: QuerySet) -> Page:
    """The page ``?page=`` asks for (the nearest one if it is out of range): a count and
    the page's rows, two queries whatever the list's length."""
    return Paginator(rows, MEMBER_PAGE_SIZE).get_page(request.GET.get("page"))


def _with_answer_links(deliveries) -> list[tuple[Delivery, str]]:
    """Each document awaiting an answer, with the link to its answer page."""
    return [
        (delivery, reverse("secretariat:answer", kwargs={"token": answer_token(delivery=delivery)}))
        for delivery in deliveries
    ]


# --- Views -------------------------------------------------------------------------------


@member_required
@require_http_methods(["GET"])
def dashboard(request: MemberRequest, contact: Contact) -> HttpResponse:
    """What the institute has going on; each list cut short, with a link to all of it."""
    awaiting = _with_answer_links(
        workspace_awaiting_answer(contact=contact)[: AWAITING_ON_DASHBOARD + 1]
    )
    counts = workspace_publication_counts(contact=contact)
    context = {
        "contact": contact,
        "institute": contact.institute,
        "memberships": list(workspace_memberships(contact=contact)),
        "meetings": workspace_upcoming_meetings(contact=contact, limit=UPCOMING_MEETINGS),
        "awaiting": awaiting[:AWAITING_ON_DASHBOARD],
        "more_awaiting": len(awaiting) > AWAITING_ON_DASHBOARD,
        "counts": [(PublicationStatus(s).label, n) for s, n in counts.items()],
        "latest": list(workspace_publications(contact=contact)[:LATEST_SUBMISSIONS]),
    }
    return render(request, "workspace/dashboard.html", context)


@member_required
@require_http_methods(["GET", "POST"])
@one_transaction_on_post
def institute_edit(request: MemberRequest, contact: Contact) -> HttpResponse:
    institute = _locked(request, contact.institute)
    active_contacts = workspace_contacts(contact=contact).filter(is_active=True)
    form = InstituteProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=institute,
        forums=workspace_admitted_forums(contact=contact),
        contacts=active_contacts,
        focal_points=workspace_focal_points(contact=contact),
    )
    if request.method == "POST" and form.is_valid():
        try:
            institute_profile_update(institute=institute, data=form.profile_data(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The institute's profile was saved."))
            return redirect("workspace:institute")
    context = {
        "institute": institute,
        "form": form,
        "contacts": workspace_contacts(contact=contact),
    }
    return render(request, "workspace/institute_form.html", context)


@member_required
@require_http_methods(["GET", "POST"])
@one_transaction_on_post
def institute_harvest(request: MemberRequest, contact: Contact) -> HttpResponse:
    """The institute's repository, harvested into the catalogue (``members.harvesting``),
    and its latest harvests."""
    institute = contact.institute
    source = _locked(request, getattr(institute, "harvest_source", None))
    form = HarvestSourceForm(
        request.POST or None,
        instance=source,
        forums=workspace_admitted_forums(contact=contact),
    )
    if request.method == "POST" and form.is_valid():
        try:
            harvest_source_member_update(
                institute=institute, data=form.source_data(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The repository to harvest was saved."))
            return redirect("workspace:institute_harvest")
    context = {
        "institute": institute,
        "source": source,
        "form": form,
        "runs": workspace_harvest_runs(contact=contact)[:HARVEST_RUNS_SHOWN],
    }
    return render(request, "workspace/harvest_form.html", context)


@member_required
@require_http_methods(["GET", "POST"])
@one_transaction_on_post
def contact_edit(request: MemberRequest, contact: Contact, pk: int | None = None) -> HttpResponse:
    target = None
    if pk is not None:
        target = workspace_contacts(contact=contact).filter(pk=pk).first()
        if target is None:
            raise Http404(_("No such contact."))
        target = _locked(request, target)
    form = ContactForm(
        request.POST or None,
        instance=target,
        institute=contact.institute,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            institute_contact_save(
                institute=contact.institute,
                contact=target,
                data=form.contact_data(),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("workspace:institute")
    return render(
        request,
        "workspace/contact_form.html",
        {"form": form, "target": target, "institute": contact.institute},
    )


@member_required
@require_http_methods(["GET"])
def publication_list(request: MemberRequest, contact: Contact) -> HttpResponse:
    page = _page(request, workspace_publications(contact=contact))
    return render(
        request,
        "workspace/publication_list.html",
        {
            "institute": contact.institute,
            "page": page,
            "editable_ids": {p.pk for p in page.object_list if is_open_to_its_members(p)},
        },
    )


@member_required
@require_http_methods(["GET"])
def awaiting_list(request: MemberRequest, contact: Contact) -> HttpResponse:
    """Every document circulated to the institute still awaiting its answer, a page at a
    time."""
    page = _page(request, workspace_awaiting_answer(contact=contact))
    return render(
        request,
        "workspace/awaiting_list.html",
        {
            "institute": contact.institute,
            "page": page,
            "awaiting": _with_answer_links(page.object_list),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
@one_transaction_on_post
def publication_edit(
    request: MemberRequest, contact: Contact, pk: int | None = None
) -> HttpResponse:
    publication = _publication_or_404(contact, pk) if pk is not None else None
    if publication is not None:
        publication = _locked(request, publication)
    locked = publication is not None and not is_open_to_its_members(publication)
    form = SubmissionForm(
        None if locked else (request.POST or None),
        None if locked else (request.FILES or None),
        instance=publication,
        forums=workspace_admitted_forums(contact=contact),
    )
    status = 200
    if locked and request.method == "POST":
        status = 409
    elif request.method == "POST" and form.is_valid():
        try:
            if publication is None:
                publication_submit(
                    institute=contact.institute,
                    data=form.submission_data(),
                    pdf=form.pdf_bytes,
                    by=request.user,
                )
                messages.success(request, _("Thank you: the secretariat will review it."))
            else:
                publication_update(
                    publication=publication,
                    institute=contact.institute,
                    data=form.submission_data(),
                    pdf=form.pdf_bytes,
                    by=request.user,
                )
                messages.success(request, _("Your changes were saved."))
        except PublicationLocked:
            locked, status = True, 409
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("workspace:publication_list")
    return render(
        request,
        "workspace/publication_form.html",
        {"form": form, "publication": publication, "locked": locked},
        status=status,
    )


@member_required
@require_safe
def institute_logo(request: MemberRequest, contact: Contact) -> HttpResponseBase:
    """The institute's logo as kept (privately), for its own contacts' profile page."""
    logo = contact.institute.logo
    if not logo.name:
        raise Http404(_("The institute has no logo."))
    name = logo.name.rsplit("/", 1)[-1]
    return file_response(
        logo.open("rb"),
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        filename=name,
        inline=True,
    )


@member_required
@require_safe
def publication_file(request: MemberRequest, contact: Contact, pk: int) -> HttpResponseBase:
    """The PDF the institute submitted, whatever its status (it is in private storage until
    approved), for the institute's own contacts; as an attachment."""
    publication = _publication_or_404(contact, pk)
    if not publication.file:
        raise Http404(_("This submission has no file."))
    return file_response(
        publication.file.open("rb"),
        content_type="application/pdf",
        filename=f"{publication.slug}.pdf",
    )


@member_required
@require_http_methods(["GET", "POST"])
def publication_withdraw_view(request: MemberRequest, contact: Contact, pk: int) -> HttpResponse:
    publication = _publication_or_404(contact, pk)
    locked = not is_open_to_its_members(publication)
    if request.method == "POST" and not locked:
        try:
            publication_withdraw(publication=publication, by=request.user)
        except PublicationLocked:
            locked = True
        else:
            messages.success(request, _("The submission was withdrawn."))
            return redirect("workspace:publication_list")
    return render(
        request,
        "workspace/publication_withdraw.html",
        {"publication": publication, "locked": locked},
        status=409 if locked and request.method == "POST" else 200,
    )


@member_required
@require_http_methods(["GET"])
def workshop_list(request: MemberRequest, contact: Contact) -> HttpResponse:
    page = _page(request, workspace_workshop_activities(contact=contact))
    page_activities = list(page.object_list)
    moderations = workspace_moderations(
        contact=contact, activity_ids=[activity.pk for activity in page_activities]
    )
    # Each activity with its themes, each theme with the institute's moderation of it if any.
    activities = [
        (
            activity,
            [(theme, moderations.get((activity.pk, theme.pk))) for theme in activity.themes.all()],
        )
        for activity in page_activities
    ]
    return render(
        request,
        "workspace/workshop_list.html",
        {"institute": contact.institute, "page": page, "activities": activities},
    )


@member_required
@require_http_methods(["POST"])
def workshop_volunteer(request: MemberRequest, contact: Contact, pk: int) -> HttpResponse:
    activity = workspace_workshop_activities(contact=contact).filter(pk=pk).first()
    if activity is None:
        raise Http404(_("No such activity."))
    theme_id = request.POST.get("theme", "")
    theme = activity.themes.filter(pk=theme_id).first() if theme_id.isdigit() else None
    if theme is None:
        raise Http404(_("No such theme."))
    moderation_volunteer(
        activity=activity, institute=contact.institute, theme=theme, by=request.user
    )
    messages.success(
        request,
        _("Thank you: the secretariat will confirm your moderation of “%(theme)s”.")
        % {"theme": theme.name},
    )
    return redirect("workspace:workshop_list")


@member_required
@require_http_methods(["GET", "POST"])
def recommend(request: MemberRequest, contact: Contact) -> HttpResponse:
    form = RecommendationForm(
        request.POST or None, forums=workspace_admitted_forums(contact=contact)
    )
    if request.method == "POST" and form.is_valid():
        try:
            recommendation_submit(
                institute=contact.institute, data=form.recommendation_data(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you: the secretariat will consider it."))
            return redirect("workspace:recommend")
    page = _page(request, workspace_recommendations(contact=contact))
    return render(
        request,
        "workspace/recommend.html",
        {
            "institute": contact.institute,
            "form": form,
            "page": page,
            "recommendations": list(page.object_list),
        },
    )
