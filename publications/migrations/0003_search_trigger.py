"""Full-text search on PostgreSQL: a trigger keeps ``search_vector`` current on every insert
and update of the searched columns (no query per row from the application), and a GIN index
serves the matches. One text search configuration, ``russian``, stems Russian words with
the Russian Snowball stemmer and Latin words with the English one, so English and Russian
are both findable in the same column. Weights: title A, authors and keywords B, abstract C,
the PDF's text D. Nothing happens on other databases.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION publications_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
      setweight(to_tsvector('russian', coalesce(NEW.title, '') || ' ' || coalesce(NEW.subtitle, '')), 'A')
   || setweight(to_tsvector('russian', coalesce(NEW.authors, '') || ' ' || coalesce(NEW.keywords, '')), 'B')
   || setweight(to_tsvector('russian', coalesce(NEW.abstract, '')), 'C')
   || setweight(to_tsvector('russian', left(coalesce(NEW.extracted_text, ''), 300000)), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER publications_search_vector_update
BEFORE INSERT OR UPDATE OF title, subtitle, authors, keywords, abstract, extracted_text
ON publications_publication
FOR EACH ROW EXECUTE FUNCTION publications_search_vector();

UPDATE publications_publication SET title = title;

CREATE INDEX publication_search_gin ON publications_publication USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS publication_search_gin;
DROP TRIGGER IF EXISTS publications_search_vector_update ON publications_publication;
DROP FUNCTION IF EXISTS publications_search_vector();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("publications", "0002_catalogue_index")]

    operations = [migrations.RunPython(forward, backward)]
