-- Synctriage evidence store, schema version 5: how many identity values a database hands out before it
-- records the next ones on disk.
--
-- One script for H2 2.x and PostgreSQL 15, with one Flyway placeholder, ${identity_cache}, set per database
-- by the store (Dialect.identityCache):
--
-- H2: an identity column's sequence records its high-water mark every CACHE values (default 32), and with
-- WRITE_DELAY 0 every such record is a store commit of its own, a chunk written to the file. Under webhook
-- load a group commit of 64 deliveries (64 notifications, 64 history rows) paid four of these on top of its
-- own: a third of the writer thread's time in the P2 benchmark's profile. With 1000 they are one per ~1000
-- rows. H2 resumes above the recorded mark after a crash, so positions stay increasing; a crash leaves a gap
-- of at most 1000, and gaps are already allowed (a rolled-back group leaves one).
--
-- PostgreSQL: 1 (its default; no change). Its sequence cache is per session, and the writer thread takes
-- any pooled connection, so a larger cache would hand out seq values out of commit order, and the evidence
-- feed's positions (FeedQueries) rely on that order. Its sequence writes cost no commit of their own.

ALTER TABLE account_history ALTER COLUMN seq SET CACHE ${identity_cache};
ALTER TABLE notifications ALTER COLUMN seq SET CACHE ${identity_cache};
ALTER TABLE api_calls ALTER COLUMN seq SET CACHE ${identity_cache};
ALTER TABLE log_lines ALTER COLUMN seq SET CACHE ${identity_cache};
