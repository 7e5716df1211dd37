-- Organizations using the ledger. Every event, row and query belongs to exactly one.
CREATE TABLE tenant (
    tenant_id  VARCHAR(64)  PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- API keys: only a SHA-256 hash of the secret is kept; the secret is shown once, at creation.
CREATE TABLE api_key (
    key_id      VARCHAR(64)  PRIMARY KEY,
    tenant_id   VARCHAR(64)  NOT NULL REFERENCES tenant (tenant_id),
    name        VARCHAR(200) NOT NULL,
    secret_hash BYTEA        NOT NULL,
    key_prefix  VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ,
    CONSTRAINT api_key_secret_hash_key UNIQUE (secret_hash)
);
CREATE INDEX api_key_tenant_idx ON api_key (tenant_id);
