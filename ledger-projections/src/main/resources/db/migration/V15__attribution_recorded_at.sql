-- attribution_entry.recorded_at: when the ledger recorded the entry's event (its event-store timestamp), as opposed
-- to occurred_at, the business time it is reported on (a deal's closing date, a reversal's date). The attribution
-- report "as of" an instant keeps the entries recorded by then (docs/audit.md).
ALTER TABLE attribution_entry ADD COLUMN recorded_at TIMESTAMPTZ;

-- Existing rows take their event's timestamp. domain_event_entry.time_stamp is an ISO-8601 instant in text with a
-- variable number of fraction digits, so it is cast, never compared as a string.
UPDATE attribution_entry a SET recorded_at = d.time_stamp::timestamptz
FROM domain_event_entry d
WHERE d.aggregate_identifier = a.source_id AND d.sequence_number = a.source_sequence;
-- a row whose event is gone (cannot happen in a complete ledger) keeps its business time
UPDATE attribution_entry SET recorded_at = occurred_at WHERE recorded_at IS NULL;

ALTER TABLE attribution_entry ALTER COLUMN recorded_at SET NOT NULL;
CREATE INDEX attribution_entry_recorded_idx ON attribution_entry (tenant_id, recorded_at);

-- the analysts see it too, as a new last column
CREATE OR REPLACE VIEW analytics.v_attribution_entries AS
SELECT tenant_id, day, occurred_at, entry_type, currency, advocate_id, program_id, channel, agent_id,
       referral_id, reward_id, reward_side, revenue, reversed_revenue, revenue - reversed_revenue AS net_revenue,
       conversions, reversals, reward_issued, reward_voided, reward_clawed_back, reward_sent,
       reward_issued - reward_voided - reward_clawed_back AS reward_cost, recorded_at
FROM public.attribution_entry;
