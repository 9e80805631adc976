-- Synctriage evidence store, schema version 3: fleet incidents.
--
-- Same rules as V1: one script for H2 2.x and PostgreSQL 15, standard types only, no foreign keys
-- (retention deletes an incident with its rows in one transaction; the fleet tracker replaces them
-- on every save). TEXT is unbounded on PostgreSQL and a CLOB on H2: a provider-wide incident's JSON
-- (hundreds of members) can pass H2's 1,000,000-character VARCHAR limit.
--
-- The incident's scalar fields are columns (they are what the listings filter and sort on); its
-- lists (members, signatures, domains, evidence) are one JSON document read with the row. Domains and
-- providers are stored lower-cased, like in `accounts`; kind, cause and status are enum names.

CREATE TABLE incidents (
    -- inc-000042; number is its numeric part (unique: two ids never share a number)
    id                VARCHAR(64) NOT NULL,
    number            BIGINT NOT NULL,
    kind              VARCHAR(32) NOT NULL,
    cause             VARCHAR(64) NOT NULL,
    -- the domain of a domain pattern; null for provider-wide and schedule patterns
    domain            VARCHAR(255),
    family            VARCHAR(16),
    provider          VARCHAR(64),
    -- OPEN | CLOSED
    status            VARCHAR(16) NOT NULL,
    period_seconds    BIGINT,
    tolerance_seconds BIGINT,
    first_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    last_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    closed_at         TIMESTAMP WITH TIME ZONE,
    reopen_count      INTEGER NOT NULL,
    summary           VARCHAR,
    -- {"members":[…],"signatures":[…],"domains":[…],"evidence":[…]}
    details_json      TEXT NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT incidents_pk PRIMARY KEY (id),
    CONSTRAINT incidents_number UNIQUE (number)
);
-- Listings are latest last_at first, then id: the DESC index serves the order (and the keyset
-- cursor) without a sort; each filter has its own (filter, last_at) index.
CREATE INDEX incidents_last ON incidents (last_at DESC, id DESC);
CREATE INDEX incidents_status ON incidents (status, last_at);
CREATE INDEX incidents_cause ON incidents (cause, last_at);
CREATE INDEX incidents_domain ON incidents (domain, last_at);
CREATE INDEX incidents_provider ON incidents (provider, last_at);
CREATE INDEX incidents_family ON incidents (family, last_at);

-- Which accounts an incident holds (account id lower-cased: "the incidents of this account" ignores case).
CREATE TABLE incident_members (
    incident_id VARCHAR(64) NOT NULL,
    account_id  VARCHAR(255) NOT NULL,
    CONSTRAINT incident_members_pk PRIMARY KEY (incident_id, account_id)
);
CREATE INDEX incident_members_account ON incident_members (account_id, incident_id);

-- Every domain of an incident's members: a provider-wide incident (domain null) is listed under each.
CREATE TABLE incident_domains (
    incident_id VARCHAR(64) NOT NULL,
    domain      VARCHAR(255) NOT NULL,
    CONSTRAINT incident_domains_pk PRIMARY KEY (incident_id, domain)
);
CREATE INDEX incident_domains_domain ON incident_domains (domain, incident_id);

-- The fleet tracker's feed positions, saved in the same transaction as the incidents they produced.
CREATE TABLE fleet_cursors (
    name     VARCHAR(128) NOT NULL,
    position BIGINT NOT NULL,
    CONSTRAINT fleet_cursors_pk PRIMARY KEY (name)
);

-- The highest incident number ever saved. Retention deletes old incidents; without this high-water mark
-- the next incident could take the number (the id) of a deleted one that a ticket or a link still cites.
CREATE TABLE fleet_counters (
    name    VARCHAR(64) NOT NULL,
    counter BIGINT NOT NULL,
    CONSTRAINT fleet_counters_pk PRIMARY KEY (name)
);

-- The evidence feed's "latest earlier (re)authentication of this account" for each state change: the
-- account's running/valid changes, newest first, without reading its failures.
CREATE INDEX account_history_recovery ON account_history (account_id, state, changed_at);
