-- Trigram indexes let the machine list search hostnames and serial numbers by any part of them
-- ("contains") at 100,000 machines without reading the whole table. pg_trgm is a trusted
-- extension (PostgreSQL 13+): the database owner may create it without superuser rights. PGlite
-- loads it in server/src/db/database.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
