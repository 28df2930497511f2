-- PostgreSQL twin of sqlite/0005_vector_styles.sql.
CREATE TABLE vector_styles (
    dataset    TEXT NOT NULL REFERENCES vector_datasets(name) ON DELETE CASCADE,
    layer      TEXT NOT NULL,
    name       TEXT NOT NULL,
    format     TEXT NOT NULL CHECK (format IN ('toml', 'json')),
    body       TEXT NOT NULL,
    source     TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
    PRIMARY KEY (dataset, layer)
);
