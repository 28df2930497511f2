-- PostgreSQL twin of sqlite/0009_vector_checksums.sql.
ALTER TABLE vector_layers ADD COLUMN sha256 TEXT;
ALTER TABLE vector_layers ADD COLUMN size BIGINT;
