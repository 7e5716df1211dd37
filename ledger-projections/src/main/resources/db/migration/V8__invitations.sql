-- invitation: one row per person an advocate invited to a program (InvitationsSent); ACCEPTED, with the
-- referral, once that person arrives with the advocate's code or link (ReferralReceived.invitationId).
-- Written by the "invitations" processor.
CREATE TABLE invitation (
    invitation_id   VARCHAR(64)  PRIMARY KEY,
    tenant_id       VARCHAR(64)  NOT NULL,
    batch_id        VARCHAR(64)  NOT NULL,
    program_id      VARCHAR(64)  NOT NULL,
    advocate_id     VARCHAR(64)  NOT NULL,
    referral_code   VARCHAR(32),
    type            VARCHAR(16)  NOT NULL,
    identifier      VARCHAR(254) NOT NULL,
    name            VARCHAR(200),
    invited_at      TIMESTAMPTZ  NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    referral_id     VARCHAR(64),
    accepted_at     TIMESTAMPTZ,
    global_position BIGINT       NOT NULL
);
CREATE INDEX invitation_program_idx ON invitation (tenant_id, program_id, advocate_id, invited_at);
CREATE INDEX invitation_identifier_idx ON invitation (tenant_id, identifier);
CREATE INDEX invitation_batch_idx ON invitation (batch_id);
