-- Each published GeoPackage is immutable: its SHA-256 (hex) and size in
-- bytes are recorded with the layers it holds, so that a replica keeping
-- a local copy of one fetched from the object store checks it before use
-- (docs/architecture.md, "GeoPackages in the object store"). NULL for a
-- layer read in place from PostGIS, and for ingests published before this
-- version (`geocentre copy-store` fills them in when moving to a bucket).
ALTER TABLE vector_layers ADD COLUMN sha256 TEXT;
ALTER TABLE vector_layers ADD COLUMN size INTEGER;
