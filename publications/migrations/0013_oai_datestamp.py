"""``public_changed_at``: when what the public sees of a publication last changed, the
datestamp of its OAI-PMH record (docs/adr/0025-oai-pmh-records-and-datestamps.md).

Many writers change a public record: the review services, the admin's change form, the
spreadsheet import, commands, and the members app renaming an institute (which may not
call the catalogue's code). So, as with the search vector (0003) and the country facets
(0005), PostgreSQL keeps it: a BEFORE trigger on the publication sets it when a public
column or the status changes on a row that is or was approved (or an approved row is
inserted), and AFTER triggers move it on the approved publications whose institutes or
themes were linked or unlinked (once per statement, from its transition table, so that a
bulk insert of links is one UPDATE, not one per link), or whose institute, forum or theme
was renamed. It is
truncated to the second, the granularity the endpoint declares. Existing rows get the time
of their last change: approved ones, and those that were approved once (by their history)
and are not now. On other databases it stays NULL and the endpoint lists no records.
"""

from django.conf import settings
from django.db import migrations, models

# What a record shows (oai.metadata): a change to any of these on a public row moves it.
PUBLIC_COLUMNS = (
    "status",
    "title",
    "subtitle",
    "slug",
    "authors",
    "forum_id",
    "kind",
    "language",
    "published_on",
    "container_title",
    "publisher",
    "abstract",
    "keywords",
    "url",
    "doi",
    "isbn",
)
NOW = "date_trunc('second', clock_timestamp())"


def _row(prefix: str) -> str:
    return ", ".join(f"{prefix}.{column}" for column in PUBLIC_COLUMNS)


POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION publications_public_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status = 'approved' AND NEW.public_changed_at IS NULL THEN
      NEW.public_changed_at := {NOW};
    END IF;
  ELSIF (NEW.status = 'approved' OR OLD.status = 'approved')
        AND ({_row("NEW")}) IS DISTINCT FROM ({_row("OLD")}) THEN
    NEW.public_changed_at := {NOW};
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER publications_public_changed
BEFORE INSERT OR UPDATE ON publications_publication
FOR EACH ROW EXECUTE FUNCTION publications_public_changed();

CREATE OR REPLACE FUNCTION publications_public_links_added() RETURNS trigger AS $$
BEGIN
  UPDATE publications_publication SET public_changed_at = {NOW}
   WHERE status = 'approved' AND id IN (SELECT publication_id FROM added);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION publications_public_links_removed() RETURNS trigger AS $$
BEGIN
  UPDATE publications_publication SET public_changed_at = {NOW}
   WHERE status = 'approved' AND id IN (SELECT publication_id FROM removed);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER publications_institutes_added
AFTER INSERT ON publications_publication_institutes REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION publications_public_links_added();
CREATE TRIGGER publications_institutes_removed
AFTER DELETE ON publications_publication_institutes REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION publications_public_links_removed();
CREATE TRIGGER publications_themes_added
AFTER INSERT ON publications_publication_themes REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION publications_public_links_added();
CREATE TRIGGER publications_themes_removed
AFTER DELETE ON publications_publication_themes REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION publications_public_links_removed();

CREATE OR REPLACE FUNCTION publications_public_institute_renamed() RETURNS trigger AS $$
BEGIN
  UPDATE publications_publication p SET public_changed_at = {NOW}
    FROM publications_publication_institutes link
   WHERE link.institute_id = NEW.id AND p.id = link.publication_id AND p.status = 'approved';
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER members_institute_public_changed
AFTER UPDATE OF name, slug ON members_institute
FOR EACH ROW WHEN ((OLD.name, OLD.slug) IS DISTINCT FROM (NEW.name, NEW.slug))
EXECUTE FUNCTION publications_public_institute_renamed();

CREATE OR REPLACE FUNCTION publications_public_theme_renamed() RETURNS trigger AS $$
BEGIN
  UPDATE publications_publication p SET public_changed_at = {NOW}
    FROM publications_publication_themes link
   WHERE link.theme_id = NEW.id AND p.id = link.publication_id AND p.status = 'approved';
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER forums_theme_public_changed
AFTER UPDATE OF name ON forums_theme
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION publications_public_theme_renamed();

CREATE OR REPLACE FUNCTION publications_public_forum_renamed() RETURNS trigger AS $$
BEGIN
  UPDATE publications_publication SET public_changed_at = {NOW}
   WHERE forum_id = NEW.id AND status = 'approved';
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER forums_forum_public_changed
AFTER UPDATE OF name, slug ON forums_forum
FOR EACH ROW WHEN ((OLD.name, OLD.slug) IS DISTINCT FROM (NEW.name, NEW.slug))
EXECUTE FUNCTION publications_public_forum_renamed();

UPDATE publications_publication SET public_changed_at = date_trunc('second', updated_at)
 WHERE status = 'approved'
    OR EXISTS (SELECT 1 FROM publications_historicalpublication h
                WHERE h.id = publications_publication.id AND h.status = 'approved');
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS publications_public_changed ON publications_publication;
DROP TRIGGER IF EXISTS publications_institutes_added ON publications_publication_institutes;
DROP TRIGGER IF EXISTS publications_institutes_removed ON publications_publication_institutes;
DROP TRIGGER IF EXISTS publications_themes_added ON publications_publication_themes;
DROP TRIGGER IF EXISTS publications_themes_removed ON publications_publication_themes;
DROP TRIGGER IF EXISTS members_institute_public_changed ON members_institute;
DROP TRIGGER IF EXISTS forums_theme_public_changed ON forums_theme;
DROP TRIGGER IF EXISTS forums_forum_public_changed ON forums_forum;
DROP FUNCTION IF EXISTS publications_public_changed();
DROP FUNCTION IF EXISTS publications_public_links_added();
DROP FUNCTION IF EXISTS publications_public_links_removed();
DROP FUNCTION IF EXISTS publications_public_institute_renamed();
DROP FUNCTION IF EXISTS publications_public_theme_renamed();
DROP FUNCTION IF EXISTS publications_public_forum_renamed();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0010_statement_language_versions"),
        ("forums", "0011_working_languages_as_codes"),
        ("members", "0011_member_change"),
        ("publications", "0012_harvested_publications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="public_changed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="public record last changed"
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                condition=models.Q(("public_changed_at__isnull", False)),
                fields=["public_changed_at", "id"],
                name="publication_oai_datestamp",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                condition=models.Q(("public_changed_at__isnull", False)),
                fields=["forum", "public_changed_at", "id"],
                name="publication_oai_forum",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
