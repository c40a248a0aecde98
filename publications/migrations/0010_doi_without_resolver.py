from django.db import migrations
from django.db.models import Q

PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")


def strip_resolvers(apps, schema_editor):
    """DOIs stored as resolver links (the page then linked https://doi.org/https%3A//…)
    become the DOI itself; one whose bare form another publication already has is left as
    it was, for staff to see (the DOI is unique)."""
    Publication = apps.get_model("publications", "Publication")
    condition = Q(doi__istartswith="doi:")
    for prefix in PREFIXES:
        condition |= Q(doi__istartswith=prefix)
    for pk, doi in Publication.objects.filter(condition).values_list("pk", "doi"):
        bare = doi.strip()
        for prefix in (*PREFIXES, "doi:"):
            if bare.lower().startswith(prefix):
                bare = bare[len(prefix) :].strip()
                break
        if not Publication.objects.filter(doi=bare).exclude(pk=pk).exists():
            Publication.objects.filter(pk=pk).update(doi=bare)


class Migration(migrations.Migration):
    dependencies = [("publications", "0009_isbn_found_however_typed")]

    operations = [migrations.RunPython(strip_resolvers, migrations.RunPython.noop)]
