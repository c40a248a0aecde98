"""The catalogue's country trigger on SQLite (``make run``): PostgreSQL gets it from
migration 0005; SQLite rebuilds a table to alter it, and a trigger naming a table being
rebuilt stops the migration, so here it is dropped before every ``migrate`` and made again
after it (``publications.apps``)."""

SQLITE = """
CREATE TRIGGER members_institute_country_facets
AFTER UPDATE OF country ON members_institute
WHEN OLD.country IS NOT NEW.country
BEGIN
  DELETE FROM publications_cataloguefacet
   WHERE name = 'country'
     AND publication_id IN (
       SELECT publication_id FROM publications_publication_institutes
        WHERE institute_id = NEW.id
     );
  INSERT OR IGNORE INTO publications_cataloguefacet (publication_id, name, value)
  SELECT DISTINCT mine.publication_id, 'country', other.country
    FROM publications_publication_institutes mine
    JOIN publications_publication p
      ON p.id = mine.publication_id AND p.status = 'approved'
    JOIN publications_publication_institutes link ON link.publication_id = mine.publication_id
    JOIN members_institute other ON other.id = link.institute_id
   WHERE mine.institute_id = NEW.id;
END;
"""

SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS members_institute_country_facets;"
