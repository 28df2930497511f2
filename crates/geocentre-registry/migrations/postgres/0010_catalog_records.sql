-- Catalog records that are not generated from published data: imported
-- ISO 19139 and Dublin Core records (`geocentre catalog import`), and the
-- records of harvested catalogs. The records of our own layers, datasets
-- and services are built from the snapshot and are not stored here.
--
-- The document is kept as it came (ISO records round-trip with the fields
-- geocentre does not model); `summary` is the JSON of the fields the
-- catalog searches and writes (geocentre-catalog's Record), derived from
-- the document when it is stored. `revision` moves on every change, so a
-- snapshot reload reads only the records that changed.
CREATE TABLE catalog_records (
    id         TEXT PRIMARY KEY,
    -- 'import', or the name of a harvest source.
    source     TEXT NOT NULL,
    format     TEXT NOT NULL CHECK (format IN ('iso19139', 'dc')),
    document   TEXT NOT NULL,
    summary    TEXT NOT NULL,
    -- The record's own date stamp, as it states it.
    modified   TEXT NOT NULL,
    revision   INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);

CREATE INDEX catalog_records_source ON catalog_records(source);
