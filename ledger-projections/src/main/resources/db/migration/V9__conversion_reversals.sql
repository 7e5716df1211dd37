-- Refunds, cancellations and chargebacks of converted deals.
ALTER TABLE referral_pipeline
    ADD COLUMN reversed_value  NUMERIC(19, 4),
    ADD COLUMN reversal_kind   VARCHAR(16),
    ADD COLUMN reversed_at     TIMESTAMPTZ,
    ADD COLUMN fully_reversed  BOOLEAN NOT NULL DEFAULT false;
