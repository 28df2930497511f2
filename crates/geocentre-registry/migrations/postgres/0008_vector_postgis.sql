-- PostgreSQL twin of sqlite/0008_vector_postgis.sql.
ALTER TABLE vector_layers ADD COLUMN postgis TEXT;
