"""Each model's admin page is the one its own app declares: registered once, in the
``admin`` module of the model's app, never replaced from another app (a reader of
``actionplans/admin.py`` sees the admin that runs)."""

from pathlib import Path

from django.conf import settings
from django.contrib import admin

PROJECT_APPS = {"core", "forums", "mail", "members", "documents", "actionplans"}
PROJECT_APPS |= {"publications", "secretariat", "workspace", "website", "portal"}
ROOT = Path(settings.BASE_DIR)


def test_every_model_admin_is_declared_in_its_models_app():
    misplaced = {
        f"{model._meta.label}: {type(model_admin).__module__}"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
        and type(model_admin).__module__ != f"{model._meta.app_label}.admin"
    }

    assert misplaced == set()


def test_the_project_admins_cover_these_models():
    registered = {
        model._meta.label for model in admin.site._registry if model._meta.app_label in PROJECT_APPS
    }

    assert registered == {
        "forums.Theme", "forums.Framework", "forums.Secretariat",
        "forums.FrameworkMemberState", "forums.Forum", "mail.OutboundMail",
        "members.Institute", "members.Contact", "members.FocalPoint", "members.Membership",
        "members.MembershipStatusChange", "members.StateContact", "members.Recommendation",
        "members.MemberChange", "members.HarvestSource", "members.HarvestRun",
        "actionplans.ActionPlan", "actionplans.Activity", "actionplans.ActivityModerator",
        "actionplans.Meeting", "actionplans.JointStatement", "actionplans.Signatory",
        "publications.Publication", "secretariat.ConceptPaper", "secretariat.Delivery",
        "secretariat.Circulation", "secretariat.Answer", "secretariat.ConceptPaperAttachment",
        "documents.DocumentCategory",
        "secretariat.AnnualReport",
    }  # fmt: skip


def test_no_app_replaces_another_apps_admin():
    replacing = [
        str(path.relative_to(ROOT))
        for app in sorted(PROJECT_APPS)
        for path in (ROOT / app).rglob("*.py")
        if "unregister(" in path.read_text()
    ]

    assert replacing == []
