-- One AES-256 key per data subject (a person; a referral or an invitation when no person is known), which
-- encrypts the subject's personal data inside stored events. Erasure sets key_bytes to NULL and keeps the row
-- as the proof of erasure (erased_at). As sensitive as the personal data itself: see docs/audit.md.
CREATE TABLE person_key (
    tenant_id   VARCHAR(64)  NOT NULL,
    subject_id  VARCHAR(200) NOT NULL,
    key_bytes   BYTEA,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    erased_at   TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, subject_id),
    CHECK ((key_bytes IS NULL) = (erased_at IS NOT NULL))
);
