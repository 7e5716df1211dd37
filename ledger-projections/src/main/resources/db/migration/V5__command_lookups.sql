-- command_lookup: the command side's lookup table (set-based validation). Written inside the transaction of
-- the command that claims a key, so two concurrent commands for the same key are serialized by the primary
-- key. Derived from events; not meant for analysts (use the projections).
CREATE TABLE command_lookup (
    tenant_id   VARCHAR(64)  NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    lookup_key  VARCHAR(600) NOT NULL,
    owner_id    VARCHAR(64)  NOT NULL,
    scope_id    VARCHAR(64),
    detail      TEXT,
    expires_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind, lookup_key)
);

-- advocate_referral_rate: referrals per advocate, program and minute, for the velocity rule.
-- Rows older than a day are deleted hourly.
CREATE TABLE advocate_referral_rate (
    tenant_id   VARCHAR(64) NOT NULL,
    program_id  VARCHAR(64) NOT NULL,
    advocate_id VARCHAR(64) NOT NULL,
    minute      TIMESTAMPTZ NOT NULL,
    referrals   INT         NOT NULL,
    PRIMARY KEY (tenant_id, program_id, advocate_id, minute)
);
