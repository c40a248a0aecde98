import pytest
from django.db.models import ProtectedError

from forums.models import Forum, Framework, Secretariat
from tests import factories as f
from tests.constraints import refused_by

pytestmark = pytest.mark.django_db


def test_a_country_is_a_member_state_of_a_framework_once():
    state = f.FrameworkMemberStateFactory(country="KZ")
    with refused_by("framework_member_state_unique"):
        f.FrameworkMemberStateFactory(framework=state.framework, country="KZ")


@pytest.mark.parametrize(
    "factory", [f.ForumFactory, f.FrameworkFactory, f.SecretariatFactory, f.ThemeFactory]
)
def test_slugs_are_unique(factory):
    factory(slug="same")
    with refused_by("slug"):
        factory(slug="same")


def test_a_forum_with_meetings_cannot_be_deleted():
    meeting = f.MeetingFactory()
    with pytest.raises(ProtectedError):
        meeting.forum.delete()
    assert Forum.objects.filter(pk=meeting.forum_id).exists()


def test_a_framework_or_secretariat_with_forums_cannot_be_deleted():
    forum = f.ForumFactory()
    with pytest.raises(ProtectedError):
        forum.framework.delete()
    with pytest.raises(ProtectedError):
        forum.secretariat.delete()
    assert Framework.objects.count() == 1
    assert Secretariat.objects.count() == 1


@pytest.mark.django_db
def test_working_languages_are_codes_named_in_the_pages_language():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    framework = f.FrameworkFactory(working_languages="en, ru, zh-hans")
    framework.full_clean()
    assert framework.working_language_names == ["English", "Russian", "Simplified Chinese"]
    with translation.override("ru"):
        assert framework.working_language_names == [
            "английский",
            "русский",
            "упрощенный китайский",
        ]
    framework.working_languages = "English, Russian"
    with pytest.raises(ValidationError, match="Unknown language code English, Russian"):
        framework.full_clean()


@pytest.mark.django_db
def test_the_migration_turns_typed_names_into_codes_and_keeps_the_rest():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("forums.migrations.0011_working_languages_as_codes")
    typed = f.FrameworkFactory(working_languages="English, russian, Klingon")
    empty = f.FrameworkFactory(working_languages="")

    migration.names_to_codes(apps, None)

    assert Framework.objects.get(pk=typed.pk).working_languages == "en, ru, Klingon"
    assert Framework.objects.get(pk=empty.pk).working_languages == ""
