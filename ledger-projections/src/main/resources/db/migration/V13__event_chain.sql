-- Tamper evidence (docs/audit.md, "Tamper evidence").
--
-- 1. Every event carries the sha256 of its own fields and of the previous event of its aggregate (the hash chain
--    of the aggregate). A BEFORE INSERT trigger fills both, so Axon's JDBC engine, which does not know these
--    columns, writes them without a change. The trigger reads only the row at sequence - 1 of the same aggregate:
--    writers of different aggregates never wait for each other.
-- 2. event_checkpoint chains the events in global order: a sealer (EventSealer) periodically hashes the event
--    hashes of a range of positions together with the previous checkpoint's hash.

-- The previous hash of an aggregate's first event.
CREATE FUNCTION ledger_event_genesis() RETURNS BYTEA
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea $$;

-- One field of the canonical form: its length (4 bytes, big-endian; -1 for NULL) and its bytes, so that no two
-- different rows can concatenate to the same bytes.
CREATE FUNCTION ledger_hash_field(value BYTEA) RETURNS BYTEA
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN value IS NULL THEN '\xffffffff'::bytea ELSE int4send(length(value)) || value END $$;

-- The hash of one event: its previous hash followed by every stored field except global_index (the position is
-- covered by the checkpoints, and an import may renumber it without breaking the chain of an aggregate).
CREATE FUNCTION ledger_event_hash(previous_hash BYTEA, event_identifier TEXT, aggregate_identifier TEXT,
                                  sequence_number BIGINT, type TEXT, time_stamp TEXT, payload_type TEXT,
                                  payload_revision TEXT, payload BYTEA, meta_data BYTEA) RETURNS BYTEA
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT sha256(previous_hash
    || ledger_hash_field(convert_to(event_identifier, 'UTF8'))
    || ledger_hash_field(convert_to(aggregate_identifier, 'UTF8'))
    || int8send(sequence_number)
    || ledger_hash_field(convert_to(type, 'UTF8'))
    || ledger_hash_field(convert_to(time_stamp, 'UTF8'))
    || ledger_hash_field(convert_to(payload_type, 'UTF8'))
    || ledger_hash_field(convert_to(payload_revision, 'UTF8'))
    || ledger_hash_field(payload)
    || ledger_hash_field(meta_data))
$$;

ALTER TABLE domain_event_entry ADD COLUMN previous_hash BYTEA, ADD COLUMN event_hash BYTEA;

-- Events stored before this migration: chained in the order of each aggregate, one pass over the table.
DO $$
DECLARE
    r              RECORD;
    prior          BYTEA;
    prior_aggregate TEXT;
    computed       BYTEA;
BEGIN
    FOR r IN SELECT global_index, event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                    payload_type, payload_revision, payload, meta_data
             FROM domain_event_entry ORDER BY aggregate_identifier, sequence_number
    LOOP
        IF prior_aggregate IS DISTINCT FROM r.aggregate_identifier THEN
            prior := ledger_event_genesis();
        END IF;
        computed := ledger_event_hash(prior, r.event_identifier, r.aggregate_identifier, r.sequence_number, r.type,
                                      r.time_stamp, r.payload_type, r.payload_revision, r.payload, r.meta_data);
        UPDATE domain_event_entry SET previous_hash = prior, event_hash = computed
        WHERE global_index = r.global_index;
        prior := computed;
        prior_aggregate := r.aggregate_identifier;
    END LOOP;
END
$$;

ALTER TABLE domain_event_entry ALTER COLUMN previous_hash SET NOT NULL, ALTER COLUMN event_hash SET NOT NULL;

-- Fills previous_hash and event_hash of a new event; whatever the writer put there is replaced. An event whose
-- predecessor is missing is refused: an aggregate's events are written in sequence.
CREATE FUNCTION domain_event_entry_chain() RETURNS TRIGGER
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.sequence_number = 0 THEN
        NEW.previous_hash := ledger_event_genesis();
    ELSE
        SELECT event_hash INTO NEW.previous_hash FROM domain_event_entry
        WHERE aggregate_identifier = NEW.aggregate_identifier AND sequence_number = NEW.sequence_number - 1;
        IF NEW.previous_hash IS NULL THEN
            RAISE EXCEPTION 'event % of aggregate % has no predecessor', NEW.sequence_number, NEW.aggregate_identifier
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    NEW.event_hash := ledger_event_hash(NEW.previous_hash, NEW.event_identifier, NEW.aggregate_identifier,
                                        NEW.sequence_number, NEW.type, NEW.time_stamp, NEW.payload_type,
                                        NEW.payload_revision, NEW.payload, NEW.meta_data);
    RETURN NEW;
END
$$;

CREATE TRIGGER domain_event_entry_chain BEFORE INSERT ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION domain_event_entry_chain();

-- event_checkpoint: the events in global order, sealed range by range. checkpoint_hash is
-- sha256(previous_hash || event_hash of every event with from_position <= global_index <= to_position, in order);
-- previous_hash is the checkpoint_hash of the checkpoint before (ledger_event_genesis() for the first).
CREATE TABLE event_checkpoint (
    checkpoint_number BIGINT      PRIMARY KEY,
    from_position     BIGINT      NOT NULL,
    to_position       BIGINT      NOT NULL,
    event_count       BIGINT      NOT NULL,
    previous_hash     BYTEA       NOT NULL,
    checkpoint_hash   BYTEA       NOT NULL,
    sealed_at         TIMESTAMPTZ NOT NULL,
    CHECK (from_position <= to_position)
);

-- event_seal_candidate: the position the sealer will seal up to next, with the transactions that were running
-- when it was read. It is sealed only once every one of them has ended, so an event committed late (events
-- commit out of position order) is never left outside its checkpoint.
CREATE TABLE event_seal_candidate (
    id           SMALLINT    PRIMARY KEY CHECK (id = 1),
    up_to        BIGINT      NOT NULL,
    running      pg_snapshot NOT NULL,
    taken_at     TIMESTAMPTZ NOT NULL
);
