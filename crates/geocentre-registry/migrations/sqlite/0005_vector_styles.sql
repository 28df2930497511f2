-- The style of a vector layer (docs/styles.md), kept by dataset and layer
-- name so that it outlives re-ingests. Stored in the documented text format
-- (an imported SLD is converted to it); servers read it from the snapshot.
CREATE TABLE vector_styles (
    dataset    TEXT NOT NULL REFERENCES vector_datasets(name) ON DELETE CASCADE,
    layer      TEXT NOT NULL,
    -- What WMS STYLES= names.
    name       TEXT NOT NULL,
    format     TEXT NOT NULL CHECK (format IN ('toml', 'json')),
    body       TEXT NOT NULL,
    -- Where it came from (the file given to the command).
    source     TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (dataset, layer)
) WITHOUT ROWID;
