"""The admin's home page for secretariat staff: the models grouped by the secretariat's
work (members; meetings and plans; documents and circulation; publications; the forums
themselves) rather than by app in alphabetical order, with the counts of what needs
someone's action at the top, each a link to the filtered list.

Counts go through each model's admin queryset, so they are scoped to the user's forums
exactly as the lists they link to are (``core.scoping``); one query per count."""

from dataclasses import dataclass
from typing import Any

from django.contrib.admin import AdminSite
from django.db.models import Q
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# (group slug, heading, models as "app_label.ModelName" in the order staff reach for them)
GROUPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "members",
        _("Members"),
        (
            "members.Institute",
            "members.Contact",
            "members.Membership",
            "members.FocalPoint",
            "members.MemberChange",
            "members.Recommendation",
            "members.StateContact",
            "members.MembershipStatusChange",
        ),
    ),
    (
        "meetings",
        _("Meetings and plans"),
        (
            "actionplans.Meeting",
            "actionplans.ActionPlan",
            "actionplans.Activity",
            "actionplans.ActivityModerator",
            "actionplans.JointStatement",
            "actionplans.Signatory",
        ),
    ),
    (
        "documents",
        _("Documents and circulation"),
        (
            "secretariat.ConceptPaper",
            "secretariat.Circulation",
            "secretariat.Delivery",
            "secretariat.Answer",
            "secretariat.ConceptPaperAttachment",
            "secretariat.AnnualReport",
            "documents.DocumentCategory",
        ),
    ),
    (
        "publications",
        _("Publications"),
        ("publications.Publication", "members.HarvestSource", "members.HarvestRun"),
    ),
    (
        "forums",
        _("Forums and settings"),
        (
            "forums.Forum",
            "forums.Framework",
            "forums.FrameworkMemberState",
            "forums.Secretariat",
            "forums.Theme",
            "mail.OutboundMail",
        ),
    ),
)


@dataclass(frozen=True)
class Attention:
    """Something that waits for staff: how many, what, and the list that shows them."""

    count: int
    label: str
    url: str


# (app_label.ModelName, filter applied to the admin's queryset, the list's query string,
#  the label, in the number of ``count``)
def _attention_items() -> list[tuple[str, Q, dict[str, str], Any]]:
    from actionplans.models import date_passed_q

    today = timezone.localdate()
    return [
        (
            "publications.Publication",
            Q(status="submitted"),
            {"status__exact": "submitted"},
            ngettext_lazy(
                "%(count)s publication awaits review",
                "%(count)s publications await review",
                "count",
            ),
        ),
        (
            "members.MemberChange",
            Q(seen_at__isnull=True),
            {"seen": "no"},
            ngettext_lazy(
                "%(count)s member change not yet seen",
                "%(count)s member changes not yet seen",
                "count",
            ),
        ),
        (
            "members.Recommendation",
            Q(status="pending"),
            {"status__exact": "pending"},
            ngettext_lazy(
                "%(count)s recommendation awaits a decision",
                "%(count)s recommendations await a decision",
                "count",
            ),
        ),
        (
            "actionplans.ActivityModerator",
            Q(status="volunteered"),
            {"status__exact": "volunteered"},
            ngettext_lazy(
                "%(count)s offer to moderate awaits a decision",
                "%(count)s offers to moderate await a decision",
                "count",
            ),
        ),
        (
            "secretariat.ConceptPaper",
            Q(status="ready"),
            {"status__exact": "ready"},
            ngettext_lazy(
                "%(count)s concept paper is ready to circulate",
                "%(count)s concept papers are ready to circulate",
                "count",
            ),
        ),
        (
            "secretariat.Delivery",
            Q(status="failed"),
            {"status__exact": "failed"},
            ngettext_lazy(
                "%(count)s delivery failed",
                "%(count)s deliveries failed",
                "count",
            ),
        ),
        (
            "mail.OutboundMail",
            Q(status="failed"),
            {"status__exact": "failed"},
            ngettext_lazy(
                "%(count)s notice could not be sent",
                "%(count)s notices could not be sent",
                "count",
            ),
        ),
        (
            "actionplans.Meeting",
            date_passed_q(today),
            {"date_passed": "yes"},
            ngettext_lazy(
                "%(count)s meeting's date passed, not recorded",
                "%(count)s meetings' dates passed, not recorded",
                "count",
            ),
        ),
    ]


def _model_admin(site: AdminSite, label: str):
    for model, model_admin in site._registry.items():
        if f"{model._meta.app_label}.{model.__name__}" == label:
            return model_admin
    return None


def staff_attention(*, site: AdminSite, request: HttpRequest) -> list[Attention]:
    """What waits for the user, in their forums: only counts above zero, of lists they may
    see."""
    found = []
    for label, condition, query, text in _attention_items():
        model_admin = _model_admin(site, label)
        if model_admin is None or not model_admin.has_view_permission(request):
            continue
        count = model_admin.get_queryset(request).filter(condition).count()
        if not count:
            continue
        opts = model_admin.model._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:  # pragma: no cover - every registered model has a list
            continue
        found.append(
            Attention(
                count=count,
                label=text % {"count": count},
                url=f"{url}?{urlencode(query)}",
            )
        )
    return found


def grouped_app_list(app_list: list[dict]) -> list[dict]:
    """Django's app list regrouped into ``GROUPS`` (the models in their order); any model
    not named there (an app added later, the logins) keeps its app's group, after them."""
    by_label = {
        f"{app['app_label']}.{model['object_name']}": model
        for app in app_list
        for model in app["models"]
    }
    placed: set[str] = set()
    groups = []
    for slug, name, labels in GROUPS:
        models = [by_label[label] for label in labels if label in by_label]
        if not models:
            continue
        placed.update(label for label in labels if label in by_label)
        groups.append(
            {
                "name": name,
                "app_label": slug,
                "app_url": f"{reverse('admin:index')}#group-{slug}",
                "has_module_perms": True,
                "models": models,
                "group": True,
            }
        )
    for app in app_list:
        rest = [m for m in app["models"] if f"{app['app_label']}.{m['object_name']}" not in placed]
        if rest:
            groups.append({**app, "models": rest})
    return groups
