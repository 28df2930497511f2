-- The PostgreSQL twin adds a trigger that notifies the replicas of a
-- publication (LISTEN/NOTIFY). An embedded registry has one server, which
-- polls catalog_state; the version is kept so both sets stay numbered alike.
SELECT 1;
