-- Composites: per layer, one mosaic of every vintage where, at each point,
-- the source painted last wins. Painting order: priority, then vintage,
-- then ingest (all ascending). A composite version lists all its chunks;
-- a differential update writes only the chunks it touches and carries the
-- others over from the previous version, so a path may belong to an older
-- version or to a vintage's own pyramid.
ALTER TABLE ortho_ingests ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
-- Acquisition date of the flight (ISO 8601 date), as the producer states it.
ALTER TABLE ortho_ingests ADD COLUMN acquired TEXT;

CREATE TABLE ortho_composites (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    layer         TEXT NOT NULL REFERENCES ortho_layers(name),
    state         TEXT NOT NULL CHECK (state IN ('building', 'published', 'superseded', 'failed')),
    -- The ingest whose publication this version accompanies (resume key),
    -- and the version it was computed from (NULL: built from scratch).
    trigger_ingest INTEGER NOT NULL,
    based_on      INTEGER,
    -- Whether the chunks of based_on that this version did not touch carry over.
    carry_over    INTEGER NOT NULL DEFAULT 1,
    native_level  INTEGER NOT NULL,
    tiers         TEXT NOT NULL,
    bbox          TEXT NOT NULL,
    -- JSON [ingest_id, ...] in painting order.
    sources       TEXT NOT NULL,
    report        TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    published_at  TEXT,
    ended_at      INTEGER,
    files_removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ortho_composites_layer ON ortho_composites(layer, state);

-- path NULL while building: the update found nothing there any more.
CREATE TABLE ortho_composite_chunks (
    composite_id INTEGER NOT NULL REFERENCES ortho_composites(id) ON DELETE CASCADE,
    tier         INTEGER NOT NULL,
    cx           INTEGER NOT NULL,
    cy           INTEGER NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    path         TEXT,
    PRIMARY KEY (composite_id, tier, cx, cy)
) WITHOUT ROWID;
CREATE INDEX ortho_composite_chunks_path ON ortho_composite_chunks(path);

ALTER TABLE ortho_layers ADD COLUMN composite_id INTEGER REFERENCES ortho_composites(id);

-- How maps resample the layer (nearest or bilinear), chosen per layer.
ALTER TABLE ortho_layers ADD COLUMN resampling TEXT NOT NULL DEFAULT 'bilinear'
    CHECK (resampling IN ('nearest', 'bilinear'));
