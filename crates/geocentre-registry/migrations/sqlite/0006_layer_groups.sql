-- Named layer groups (GeoServer layer groups, MapServer GROUP): a name that
-- WMS LAYERS= accepts and that draws its members in order, each with an
-- optional style. Members are kept by the name WMS gives them
-- (`ortho-hr`, `ortho-hr-2021`, `admin.communes`...), so a group outlives
-- re-ingests; a member that is gone, or that the caller may not read, is
-- left out when the group is drawn. A group has no access level of its
-- own: each member is authorized as if listed directly.
CREATE TABLE layer_groups (
    name       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    abstract   TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE layer_group_members (
    group_name TEXT NOT NULL REFERENCES layer_groups(name) ON DELETE CASCADE,
    -- Drawing order, from 0 (the bottom).
    position   INTEGER NOT NULL,
    layer      TEXT NOT NULL,
    -- NULL: the layer's own style.
    style      TEXT,
    PRIMARY KEY (group_name, position)
) WITHOUT ROWID;
