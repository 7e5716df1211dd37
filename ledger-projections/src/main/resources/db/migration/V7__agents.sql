-- agent_profile: one row per agent (a person referrals are sent to) and their public profile slug.
-- Rebuilt from the agent events by the "agents" processor. Slugs are unique across all tenants; the command
-- side's lookups enforce that, this table only shows it.
CREATE TABLE agent_profile (
    agent_id             VARCHAR(64)  PRIMARY KEY,
    tenant_id            VARCHAR(64)  NOT NULL,
    name                 VARCHAR(200) NOT NULL,
    email                VARCHAR(254) NOT NULL,
    slug                 VARCHAR(64)  NOT NULL,
    published            BOOLEAN      NOT NULL,
    registered_at        TIMESTAMPTZ  NOT NULL,
    published_at         TIMESTAMPTZ,
    updated_at           TIMESTAMPTZ  NOT NULL,
    registered_position  BIGINT       NOT NULL,
    last_event_sequence  BIGINT       NOT NULL
);
CREATE INDEX agent_profile_tenant_idx ON agent_profile (tenant_id, registered_position DESC);
