"""The personal data of a contact, as two pages beside the contact's admin page: the
export (a JSON file) and the erasure (a plan, then a confirmed POST). They read every app's
rows, so they live here, above them all; ``portal.admin_site`` puts their URLs under the
contact's. The contact is found through the contact's own ModelAdmin, scoped to the user's
secretariat (another's contact is 404), and the user must hold every record of it
(``secretariat.rules``: 403 otherwise, nothing read or written)."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import Contact, ContactErasure
from secretariat.personal_data import contact_erase, contact_erasure_plan, contact_export

EXPORT_URL = "members_contact_personal_data_export"
ERASE_URL = "members_contact_personal_data_erase"


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=capfirst(_("reason")),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the data is erased (e.g. the person's request of a given date)."),
    )
    confirm = forms.CharField(
        label=_("Type the contact's full name to confirm"),
        strip=True,
    )

    def __init__(self, *args, contact: Contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"]
        if (
            " ".join(typed.split()).casefold()
            != " ".join(self.contact.full_name.split()).casefold()
        ):
            raise ValidationError(_("This is not the contact's full name."), code="mismatch")
        return typed


def _contact(site: admin.AdminSite, request, object_id, *, perm: str, model_perm: str) -> Contact:
    """The contact, if the user's secretariat sees it (else 404) and the user may export
    or erase it (else 403). No row lock: the service takes its own."""
    contact_admin = site._registry[Contact]
    contact = contact_admin.get_queryset(request).filter(pk=unquote(object_id)).first()
    if contact is None:
        raise Http404("No such contact, or it belongs to another secretariat's forum.")
    if not (request.user.has_perm(model_perm) and request.user.has_perm(perm, contact)):
        raise PermissionDenied
    return contact


def personal_data_urls(site: admin.AdminSite) -> list:
    """The two pages' URLs, to come before the contact admin's own (whose catch-all would
    take them otherwise)."""

    def export_view(request, object_id):
        """GET: the export, as a file to download. Reads only."""
        contact = _contact(
            site,
            request,
            object_id,
            perm="members.export_personal_data",
            model_perm="members.view_contact",
        )
        data = contact_export(contact=contact, by=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="contact-{contact.pk}-personal-data.json"'
        )
        response["Cache-Control"] = "no-store"
        return response

    def erase_view(request, object_id):
        """GET: the plan and the form (nothing changes). POST: the erasure, once: a second
        POST (a double click) finds it done and says so."""
        contact = _contact(
            site,
            request,
            object_id,
            perm="members.erase_personal_data",
            model_perm="members.delete_contact",
        )
        change_url = reverse("admin:members_contact_change", args=[contact.pk])
        erasure = ContactErasure.objects.filter(contact=contact).select_related("erased_by").first()
        if request.method == "POST" and erasure is not None:
            messages.info(request, gettext("This contact's personal data has already been erased."))
            return redirect(change_url)
        form = ErasureForm(request.POST if request.method == "POST" else None, contact=contact)
        if form.is_bound and form.is_valid():
            try:
                contact_erase(contact=contact, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                if getattr(exc, "code", None) == "already_erased":
                    messages.info(request, " ".join(exc.messages))
                    return redirect(change_url)
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    gettext("The contact's personal data was erased."),
                )
                return redirect(change_url)
        context = {
            **site.each_context(request),
            "opts": Contact._meta,
            "original": contact,
            "title": gettext("Erase personal data: %(name)s") % {"name": contact.full_name},
            "plan": contact_erasure_plan(contact=contact),
            "erasure": erasure,
            "form": form,
            "change_url": change_url,
            "export_url": reverse(f"admin:{EXPORT_URL}", args=[contact.pk]),
            "has_view_permission": True,
        }
        request.current_app = site.name
        return TemplateResponse(request, "admin/secretariat/personal_data_erase.html", context)

    return [
        path(
            "members/contact/<path:object_id>/personal-data/export/",
            site.admin_view(export_view),
            name=EXPORT_URL,
        ),
        path(
            "members/contact/<path:object_id>/personal-data/erase/",
            site.admin_view(erase_view),
            name=ERASE_URL,
        ),
    ]
