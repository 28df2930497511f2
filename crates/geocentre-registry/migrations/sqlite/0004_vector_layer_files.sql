-- A dataset's ingest is a directory with one GeoPackage per delivered file,
-- so that one bad file is rejected alone; each layer records its file.
ALTER TABLE vector_layers ADD COLUMN file TEXT NOT NULL DEFAULT '';
