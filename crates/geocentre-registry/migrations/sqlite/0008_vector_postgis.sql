-- A layer read in place from a PostGIS table or view (`geocentre vector
-- connect`): where it lives, as JSON (connection URL without password,
-- schema, table, feature id and geometry columns, the source column of each
-- field). NULL for a layer stored in the ingest's GeoPackage.
ALTER TABLE vector_layers ADD COLUMN postgis TEXT;
