"""The catalogue's country facet follows an institute's country whoever changes it.

The facet rows (``CatalogueFacet``) are the catalogue's own index: rewritten by
``catalogue_index`` whenever a publication changes. An institute's country is written by
the admin, by ``seed_forums``, by any command or service, and before this only the admin
re-indexed afterwards. A trigger on the institute table now rewrites the country rows of
the institute's approved publications (from all their institutes) in the same transaction.
On SQLite (``make run``) the same trigger is made after every ``migrate`` instead
(``publications.apps``): SQLite rebuilds a table to alter it, and a trigger naming a table
being rebuilt stops the migration.
"""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION publications_institute_country_facets() RETURNS trigger AS $$
BEGIN
  DELETE FROM publications_cataloguefacet f
   USING publications_publication_institutes mine
   WHERE mine.institute_id = NEW.id
     AND f.publication_id = mine.publication_id
     AND f.name = 'country';
  INSERT INTO publications_cataloguefacet (publication_id, name, value)
  SELECT DISTINCT mine.publication_id, 'country', other.country
    FROM publications_publication_institutes mine
    JOIN publications_publication p
      ON p.id = mine.publication_id AND p.status = 'approved'
    JOIN publications_publication_institutes link ON link.publication_id = mine.publication_id
    JOIN members_institute other ON other.id = link.institute_id
   WHERE mine.institute_id = NEW.id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER members_institute_country_facets
AFTER UPDATE OF country ON members_institute
FOR EACH ROW WHEN (OLD.country IS DISTINCT FROM NEW.country)
EXECUTE FUNCTION publications_institute_country_facets();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS members_institute_country_facets ON members_institute;
DROP FUNCTION IF EXISTS publications_institute_country_facets();
"""

def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("publications", "0004_catalogue_generation")]

    operations = [migrations.RunPython(forward, backward)]
