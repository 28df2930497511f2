-- PostgreSQL twin of sqlite/0006_layer_groups.sql.
CREATE TABLE layer_groups (
    name       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    abstract   TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);

CREATE TABLE layer_group_members (
    group_name TEXT NOT NULL REFERENCES layer_groups(name) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    layer      TEXT NOT NULL,
    style      TEXT,
    PRIMARY KEY (group_name, position)
);
