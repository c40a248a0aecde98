"""Backups of the whole portal, database and files, as one archive, and their restore into
an empty database and empty storages (docs/adr/0029, README "Backups and restores")."""
