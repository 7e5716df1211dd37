-- referral_pipeline: one row per referral, the pipeline as analysts see it.
-- Rebuilt from the events by the referral-pipeline processor.
CREATE TABLE referral_pipeline (
    referral_id          VARCHAR(64)   PRIMARY KEY,
    tenant_id            VARCHAR(64)   NOT NULL,
    status               VARCHAR(16)   NOT NULL,
    referral_type        VARCHAR(64),
    channel              VARCHAR(32)   NOT NULL,
    agent_id             VARCHAR(200),
    advocate_key         VARCHAR(300)  NOT NULL,
    referrer_name        VARCHAR(200),
    referrer_email       VARCHAR(254),
    referrer_phone       VARCHAR(32),
    referrer_external_id VARCHAR(200),
    referred_first_name  VARCHAR(200),
    referred_last_name   VARCHAR(200),
    referred_email       VARCHAR(254),
    referred_phone       VARCHAR(32),
    contacts             JSONB         NOT NULL DEFAULT '[]',
    notes                TEXT,
    metadata             JSONB         NOT NULL DEFAULT '{}',
    expected_value       NUMERIC(19, 4),
    expected_currency    CHAR(3),
    resulting_deal_id    VARCHAR(200),
    deal_value           NUMERIC(19, 4),
    deal_currency        CHAR(3),
    deal_closed_at       TIMESTAMPTZ,
    lost_reason          TEXT,
    received_at          TIMESTAMPTZ   NOT NULL,
    contacted_at         TIMESTAMPTZ,
    qualified_at         TIMESTAMPTZ,
    converted_at         TIMESTAMPTZ,
    lost_at              TIMESTAMPTZ,
    updated_at           TIMESTAMPTZ   NOT NULL,
    received_position    BIGINT        NOT NULL,
    last_event_sequence  BIGINT        NOT NULL,
    last_event_position  BIGINT        NOT NULL
);
CREATE INDEX referral_pipeline_tenant_idx ON referral_pipeline (tenant_id, received_position DESC);
CREATE INDEX referral_pipeline_status_idx ON referral_pipeline (tenant_id, status, received_position DESC);
CREATE INDEX referral_pipeline_agent_idx ON referral_pipeline (tenant_id, agent_id, received_position DESC);
CREATE INDEX referral_pipeline_referrer_idx ON referral_pipeline (tenant_id, referrer_email);

-- advocate_stats: per tenant and advocate, how many referrals they made and where those stand now.
CREATE TABLE advocate_stats (
    tenant_id         VARCHAR(64)  NOT NULL,
    advocate_key      VARCHAR(300) NOT NULL,
    referrer_name     VARCHAR(200),
    referrer_email    VARCHAR(254),
    referrer_phone    VARCHAR(32),
    total_referrals   BIGINT       NOT NULL DEFAULT 0,
    received          BIGINT       NOT NULL DEFAULT 0,
    contacted         BIGINT       NOT NULL DEFAULT 0,
    qualified         BIGINT       NOT NULL DEFAULT 0,
    converted         BIGINT       NOT NULL DEFAULT 0,
    lost              BIGINT       NOT NULL DEFAULT 0,
    first_referral_at TIMESTAMPTZ  NOT NULL,
    last_referral_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant_id, advocate_key)
);
