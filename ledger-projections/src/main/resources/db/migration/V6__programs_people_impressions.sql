-- Referral sources on the pipeline: where each referral came from and whether it waits for review.
ALTER TABLE referral_pipeline
    ADD COLUMN program_id         VARCHAR(64),
    ADD COLUMN advocate_id        VARCHAR(64),
    ADD COLUMN referred_person_id VARCHAR(64),
    ADD COLUMN referral_code      VARCHAR(32),
    ADD COLUMN impression_id      VARCHAR(64),
    ADD COLUMN invitation_id      VARCHAR(64),
    ADD COLUMN flag               VARCHAR(16),
    ADD COLUMN introduction       JSONB;
CREATE INDEX referral_pipeline_program_idx ON referral_pipeline (tenant_id, program_id, received_position DESC);
CREATE INDEX referral_pipeline_flag_idx ON referral_pipeline (tenant_id, flag, received_position DESC) WHERE flag IS NOT NULL;
CREATE INDEX referral_pipeline_advocate_person_idx ON referral_pipeline (advocate_id);
CREATE INDEX referral_pipeline_referred_person_idx ON referral_pipeline (referred_person_id);

-- program: one row per referral program (campaign) and its current terms.
CREATE TABLE program (
    program_id               VARCHAR(64)  PRIMARY KEY,
    tenant_id                VARCHAR(64)  NOT NULL,
    name                     VARCHAR(200) NOT NULL,
    slug                     VARCHAR(64)  NOT NULL,
    campaign_token           VARCHAR(64)  NOT NULL,
    status                   VARCHAR(16)  NOT NULL,
    allowed_channels         TEXT[]       NOT NULL,
    allowed_types            TEXT[]       NOT NULL,
    invitation_types         TEXT[]       NOT NULL,
    attribution_window_days  INT          NOT NULL,
    velocity_limit_per_hour  INT          NOT NULL,
    landing_url              VARCHAR(2000),
    created_at               TIMESTAMPTZ  NOT NULL,
    updated_at               TIMESTAMPTZ  NOT NULL,
    last_event_sequence      BIGINT       NOT NULL,
    UNIQUE (tenant_id, slug)
);

-- program_advocate: one row per advocate enrolled in a program, with their referral code.
CREATE TABLE program_advocate (
    enrollment_id  VARCHAR(64)  PRIMARY KEY,
    tenant_id      VARCHAR(64)  NOT NULL,
    program_id     VARCHAR(64)  NOT NULL,
    advocate_id    VARCHAR(64)  NOT NULL,
    referral_code  VARCHAR(32)  NOT NULL,
    role           VARCHAR(32)  NOT NULL,
    name           VARCHAR(200),
    email          VARCHAR(254),
    phone          VARCHAR(32),
    external_id    VARCHAR(200),
    enrolled_at    TIMESTAMPTZ  NOT NULL,
    UNIQUE (tenant_id, referral_code)
);
CREATE INDEX program_advocate_program_idx ON program_advocate (tenant_id, program_id, enrolled_at);
CREATE INDEX program_advocate_person_idx ON program_advocate (advocate_id);

-- person: the people of a tenant (advocates and referred people), matched by email or phone. How many
-- referrals a person made or received is counted from referral_pipeline (advocate_id, referred_person_id).
CREATE TABLE person (
    person_id          VARCHAR(64)  PRIMARY KEY,
    tenant_id          VARCHAR(64)  NOT NULL,
    name               VARCHAR(401),
    email              VARCHAR(254),
    phone              VARCHAR(32),
    external_id        VARCHAR(200),
    lead_source        VARCHAR(32),
    first_seen_at      TIMESTAMPTZ  NOT NULL,
    last_seen_at       TIMESTAMPTZ  NOT NULL
);
CREATE INDEX person_tenant_email_idx ON person (tenant_id, email);

-- impression: one row per QR scan or link click.
CREATE TABLE impression (
    impression_id       VARCHAR(64)  PRIMARY KEY,
    tenant_id           VARCHAR(64)  NOT NULL,
    program_id          VARCHAR(64)  NOT NULL,
    advocate_id         VARCHAR(64),
    referral_code       VARCHAR(32),
    source              VARCHAR(16)  NOT NULL,
    placement           VARCHAR(200),
    landing_url         VARCHAR(2000),
    user_agent          VARCHAR(1000),
    client_address_hash CHAR(64),
    metadata            JSONB        NOT NULL DEFAULT '{}',
    occurred_at         TIMESTAMPTZ  NOT NULL,
    recorded_at         TIMESTAMPTZ  NOT NULL,
    global_position     BIGINT       NOT NULL
);
CREATE INDEX impression_program_idx ON impression (tenant_id, program_id, occurred_at);
CREATE INDEX impression_advocate_idx ON impression (tenant_id, advocate_id, occurred_at);
