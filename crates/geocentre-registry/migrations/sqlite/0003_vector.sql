-- Vector datasets. A dataset's published content is one GeoPackage written
-- by one ingest; re-ingesting writes a new file and moves the pointer in one
-- transaction, so URLs stay stable and readers never see a half-written file.
CREATE TABLE vector_datasets (
    name           TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    access         TEXT NOT NULL DEFAULT 'public' CHECK (access IN ('public', 'members', 'private')),
    current_ingest INTEGER REFERENCES vector_ingests(id),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE vector_ingests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset       TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('building', 'published', 'superseded', 'failed')),
    -- The GeoPackage, relative to the data directory.
    file          TEXT NOT NULL,
    report        TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    published_at  TEXT,
    ended_at      INTEGER,
    files_removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX vector_ingests_dataset ON vector_ingests(dataset, state);

CREATE TABLE vector_layers (
    ingest_id     INTEGER NOT NULL REFERENCES vector_ingests(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    title         TEXT NOT NULL,
    -- The GeoPackage table holding it.
    table_name    TEXT NOT NULL,
    geometry_type TEXT NOT NULL,
    srid          INTEGER NOT NULL,
    has_z         INTEGER NOT NULL,
    feature_count INTEGER NOT NULL,
    bbox          TEXT NOT NULL,   -- JSON, in the layer's CRS
    bbox_wgs84    TEXT NOT NULL,   -- JSON lon/lat
    fields        TEXT NOT NULL,   -- JSON [{name, type}]
    source        TEXT NOT NULL,   -- the file it came from
    PRIMARY KEY (ingest_id, name)
) WITHOUT ROWID;
