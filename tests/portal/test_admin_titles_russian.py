"""The admin's titles in Russian leave a model's name in the nominative, standing alone
(portal.admin_site.ADMIN_TITLES): Django's own catalogue put it into a sentence that
needs another case ("Изменить концептуальная записка")."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.html import page, texts

pytestmark = pytest.mark.django_db


def test_titles_name_the_model_on_its_own(client, cica):
    paper = f.ConceptPaperFactory(forum=cica.forum)
    urls = [
        reverse("admin:secretariat_conceptpaper_change", args=[paper.pk]),
        reverse("admin:members_institute_add"),
        reverse("admin:secretariat_conceptpaper_changelist"),
    ]
    client.force_login(cica.staff)

    change, add, listed = (page(client.get("/ru" + url)) for url in urls)

    assert texts(change, "#content h1") == [
        "Изменение: концептуальная или административная записка"
    ]
    assert texts(add, "#content h1") == ["Добавление: учреждение"]
    assert texts(listed, "#content h1") == [
        "Выберите для изменения: концептуальная или административная записка"
    ]
