-- Idempotency keys of POST requests. The row is inserted in the same transaction as the events the
-- request causes, so a key is either spent together with its effect or not at all.
CREATE TABLE api_idempotency_key (
    tenant_id       VARCHAR(64)  NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    BYTEA        NOT NULL,
    response_status INTEGER,
    response_body   BYTEA,
    response_location VARCHAR(2000),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX api_idempotency_key_created_idx ON api_idempotency_key (created_at);
