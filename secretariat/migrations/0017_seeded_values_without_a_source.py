"""Earlier versions of ``seed_forums`` stored values the two founding documents do not
give (docs/adr/0015). Staff's permissions cover the new models. Each is cleared only where it still reads exactly as seeded: a value
the secretariat has changed since is theirs and stays."""

import datetime

from django.db import migrations

OLD_ACTIVITY_TITLES = {
    2: "Interactive training and academic workshops",
    3: "Handbook on supporting SMEs",
    4: "Analytical, research and forecast reports",
    5: "Focal points network and catalogue of publications",
    7: "Circulation of concept papers and administrative notes",
}
OLD_THEME_NAMES_RU = {
    "peace-and-stability": "Мир и стабильность",
    "multipolarity": "Многополярность",
    "multilateralism": "Многосторонность",
    "globalization": "Глобализация",
    "energy": "Энергетика",
    "food": "Продовольствие",
    "climate": "Климат",
    "water-resources": "Водные ресурсы",
    "economy-and-trade": "Экономика и торговля",
    "digital-economy": "Цифровая экономика",
    "youth": "Молодежь",
    "small-and-medium-sized-enterprises": "Малые и средние предприятия",
    "asian-security": "Безопасность в Азии",
    "gender-equality": "Гендерное равенство",
}


def clear(apps, schema_editor):
    Institute = apps.get_model("members", "Institute")
    Framework = apps.get_model("forums", "Framework")
    Forum = apps.get_model("forums", "Forum")
    Theme = apps.get_model("forums", "Theme")
    Activity = apps.get_model("actionplans", "Activity")

    Institute.objects.filter(slug="kaziss", short_name="KazISS").update(short_name="")
    Institute.objects.filter(slug="iica", short_name="IICA").update(short_name="")
    Institute.objects.filter(slug="iica", kind="research_centre").update(kind="")
    Framework.objects.filter(slug="cica", working_languages="English, Russian").update(
        working_languages=""
    )
    Framework.objects.filter(
        slug="korea-central-asia-cooperation-forum",
        description="Also called the Central Asia – Republic of Korea Cooperation Forum (CARK).",
    ).update(description="")
    Forum.objects.filter(
        slug="korea-central-asia-think-tank-forum", founded_on=datetime.date(2023, 11, 20)
    ).update(founded_on=None)
    for slug, name_ru in OLD_THEME_NAMES_RU.items():
        Theme.objects.filter(slug=slug, name_ru=name_ru).update(name_ru="")
    for number, title in OLD_ACTIVITY_TITLES.items():
        Activity.objects.filter(
            plan__document_symbol="SOC/2024-II/DEC/2", number=number, title=title
        ).update(title="", short_title=title)


def staff_permissions(apps, schema_editor):
    from secretariat.permissions import staff_group_sync

    staff_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0016_delivery_of_institute"),
        ("actionplans", "0007_seed_facts_and_secretariats_titles"),
        ("forums", "0007_forum_description_source"),
        ("members", "0009_institute_kind_may_be_unknown"),
        ("actionplans", "0008_register_and_language_versions"),
        ("documents", "0002_document_categories"),
    ]

    operations = [
        migrations.RunPython(clear, migrations.RunPython.noop),
        # Staff keep speakers, language versions and kinds of document.
        migrations.RunPython(staff_permissions, migrations.RunPython.noop),
    ]
