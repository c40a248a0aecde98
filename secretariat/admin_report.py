"""The implementation report of an action plan, as two pages of the admin beside the
plan's own (``admin:actionplans_actionplan_implementation_report`` and ``…_pdf``). It reads
the plan's activities, meetings and publications, so it lives above them all, here; the
project's admin site (``portal.admin_site``) puts its URLs under the plan's. The plan is
found through the plan's own ModelAdmin, scoped to the user's secretariat."""

from typing import cast

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext

from actionplans.models import ActionPlan
from documents.admin_mixins import RenderedDocumentAdminMixin, pdf_response
from secretariat.reports import implementation_report, implementation_report_pdf

URL_NAME = "actionplans_actionplan_implementation_report"


def _plan(site: admin.AdminSite, request, object_id) -> ActionPlan:
    plan_admin = cast(RenderedDocumentAdminMixin, site._registry[ActionPlan])
    return plan_admin.scoped_object(request, object_id)


def report_urls(site: admin.AdminSite) -> list:
    """The report's URLs, to come before the plan admin's own (whose catch-all would take
    them otherwise)."""

    def report_view(request, object_id):
        plan = _plan(site, request, object_id)
        context = {
            **site.each_context(request),
            "opts": ActionPlan._meta,
            "original": plan,
            "title": gettext("Implementation report: %(title)s") % {"title": plan.title},
            "report": implementation_report(plan=plan),
            "pdf_url": reverse(f"admin:{URL_NAME}_pdf", args=[plan.pk]),
            "has_view_permission": True,
        }
        request.current_app = site.name
        return TemplateResponse(request, "admin/secretariat/implementation_report.html", context)

    def report_pdf_view(request, object_id):
        plan = _plan(site, request, object_id)
        pdf = implementation_report_pdf(
            report=implementation_report(plan=plan), language=translation.get_language()
        )
        return pdf_response(pdf, filename=f"{plan.file_stem}-implementation-report.pdf")

    return [
        path(
            "actionplans/actionplan/<path:object_id>/report/",
            site.admin_view(report_view),
            name=URL_NAME,
        ),
        path(
            "actionplans/actionplan/<path:object_id>/report/pdf/",
            site.admin_view(report_pdf_view),
            name=f"{URL_NAME}_pdf",
        ),
    ]
