-- Orthophoto catalog. A vintage points at exactly one published ingest;
-- switching that pointer inside a transaction is what makes publishing atomic.
CREATE TABLE ortho_layers (
    name       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    access     TEXT NOT NULL DEFAULT 'public' CHECK (access IN ('public', 'members', 'private')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE ortho_ingests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    layer        TEXT NOT NULL REFERENCES ortho_layers(name),
    vintage      INTEGER NOT NULL,
    producer     TEXT,
    state        TEXT NOT NULL CHECK (state IN ('building', 'published', 'superseded', 'failed')),
    -- Hash of the inputs and parameters: re-running the same command resumes.
    params_key   TEXT NOT NULL,
    tms          TEXT NOT NULL,
    chunk_log2   INTEGER NOT NULL,
    native_level INTEGER,
    tiers        TEXT,   -- JSON [[lo, hi], ...], finest tier first
    bbox         TEXT,   -- JSON [minx, miny, maxx, maxy] in Lambert-93
    report       TEXT,   -- JSON scan report
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    published_at TEXT,
    -- Unix time at which the ingest stopped being referenced.
    ended_at      INTEGER,
    files_removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ortho_ingests_layer ON ortho_ingests(layer, vintage, state);

CREATE TABLE ortho_chunks (
    ingest_id INTEGER NOT NULL REFERENCES ortho_ingests(id) ON DELETE CASCADE,
    tier      INTEGER NOT NULL,
    cx        INTEGER NOT NULL,
    cy        INTEGER NOT NULL,
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    bytes     INTEGER NOT NULL,
    PRIMARY KEY (ingest_id, tier, cx, cy)
) WITHOUT ROWID;

CREATE TABLE ortho_sources (
    ingest_id INTEGER NOT NULL REFERENCES ortho_ingests(id) ON DELETE CASCADE,
    path      TEXT NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('ingested', 'rejected')),
    code      TEXT,
    scan      TEXT NOT NULL, -- JSON scan record
    PRIMARY KEY (ingest_id, path)
) WITHOUT ROWID;

CREATE TABLE ortho_vintages (
    layer     TEXT NOT NULL REFERENCES ortho_layers(name),
    vintage   INTEGER NOT NULL,
    ingest_id INTEGER NOT NULL REFERENCES ortho_ingests(id),
    PRIMARY KEY (layer, vintage)
) WITHOUT ROWID;

-- Bumped by every publication; servers poll it to refresh their snapshot.
CREATE TABLE catalog_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO catalog_state (id, generation) VALUES (1, 0);
