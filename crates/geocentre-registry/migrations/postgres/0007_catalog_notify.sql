-- Replicas LISTEN on 'geocentre_catalog' and reload their snapshot when
-- it fires: a publication (on any replica, or by a CLI elsewhere) reaches
-- every replica at once instead of at the next poll. PostgreSQL delivers
-- the notification when the publishing transaction commits, never before.
-- The poll of catalog_state stays as the fallback (a lost connection).
CREATE FUNCTION geocentre_catalog_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('geocentre_catalog', NEW.generation::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_state_notify AFTER UPDATE ON catalog_state
    FOR EACH ROW WHEN (NEW.generation <> OLD.generation)
    EXECUTE FUNCTION geocentre_catalog_notify();
