-- PostgreSQL twin of sqlite/0004_vector_layer_files.sql.
ALTER TABLE vector_layers ADD COLUMN file TEXT NOT NULL DEFAULT '';
