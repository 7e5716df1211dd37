-- attribution_entry: one row per money event (conversion, reversal, reward issued / voided / sent / clawed back),
-- written by the 'attribution' processor. Keyed like the event store itself (aggregate id, sequence), so an event
-- applied twice is stored once; daily totals are SQL over these rows (analytics.v_attribution).
CREATE TABLE attribution_entry (
    source_id          VARCHAR(64)    NOT NULL,
    source_sequence    BIGINT         NOT NULL,
    entry_type         VARCHAR(24)    NOT NULL,
    tenant_id          VARCHAR(64)    NOT NULL,
    day                DATE           NOT NULL,
    occurred_at        TIMESTAMPTZ    NOT NULL,
    currency           CHAR(3),
    advocate_id        VARCHAR(64),
    program_id         VARCHAR(64),
    channel            VARCHAR(32),
    agent_id           VARCHAR(200),
    referral_id        VARCHAR(64),
    reward_id          VARCHAR(64),
    reward_side        VARCHAR(16),
    revenue            NUMERIC(19, 4) NOT NULL DEFAULT 0,
    reversed_revenue   NUMERIC(19, 4) NOT NULL DEFAULT 0,
    conversions        INT            NOT NULL DEFAULT 0,
    reversals          INT            NOT NULL DEFAULT 0,
    reward_issued      NUMERIC(19, 4) NOT NULL DEFAULT 0,
    reward_voided      NUMERIC(19, 4) NOT NULL DEFAULT 0,
    reward_clawed_back NUMERIC(19, 4) NOT NULL DEFAULT 0,
    reward_sent        NUMERIC(19, 4) NOT NULL DEFAULT 0,
    global_position    BIGINT         NOT NULL,
    PRIMARY KEY (source_id, source_sequence)
);
CREATE INDEX attribution_entry_day_idx ON attribution_entry (tenant_id, day);
-- a reward's later events find its issue; a reward finds its referral's conversion
CREATE INDEX attribution_entry_reward_idx ON attribution_entry (reward_id) WHERE reward_id IS NOT NULL;
CREATE INDEX attribution_entry_conversion_idx ON attribution_entry (referral_id) WHERE entry_type = 'CONVERSION';

-- The analysts' contract (docs/analytics.md): views in a schema of their own. Later migrations may add columns
-- at the end of a view, never rename, retype or drop one; a breaking change comes as a new view (v_…_v2).
CREATE SCHEMA analytics;

CREATE VIEW analytics.v_referrals AS
SELECT referral_id, tenant_id, status, channel, agent_id, program_id, advocate_id, advocate_key,
       referred_person_id, referral_code, impression_id, invitation_id, referral_type, flag,
       referrer_name, referrer_email,
       expected_value, expected_currency, resulting_deal_id, deal_value, deal_currency, deal_closed_at,
       reversed_value, reversal_kind, reversed_at, fully_reversed, lost_reason,
       received_at, contacted_at, qualified_at, converted_at, lost_at, updated_at
FROM public.referral_pipeline;

CREATE VIEW analytics.v_impressions AS
SELECT impression_id, tenant_id, program_id, advocate_id, referral_code, source, placement, landing_url,
       occurred_at, recorded_at
FROM public.impression;

CREATE VIEW analytics.v_attribution_entries AS
SELECT tenant_id, day, occurred_at, entry_type, currency, advocate_id, program_id, channel, agent_id,
       referral_id, reward_id, reward_side, revenue, reversed_revenue, revenue - reversed_revenue AS net_revenue,
       conversions, reversals, reward_issued, reward_voided, reward_clawed_back, reward_sent,
       reward_issued - reward_voided - reward_clawed_back AS reward_cost
FROM public.attribution_entry;

-- per tenant, day, currency, advocate, program, channel and agent
CREATE VIEW analytics.v_attribution AS
SELECT tenant_id, day, currency, advocate_id, program_id, channel, agent_id,
       sum(revenue)                                             AS revenue,
       sum(reversed_revenue)                                    AS reversed_revenue,
       sum(revenue - reversed_revenue)                          AS net_revenue,
       sum(conversions)::bigint                                 AS conversions,
       sum(reversals)::bigint                                   AS reversals,
       sum(reward_issued)                                       AS reward_issued,
       sum(reward_voided)                                       AS reward_voided,
       sum(reward_clawed_back)                                  AS reward_clawed_back,
       sum(reward_issued - reward_voided - reward_clawed_back)  AS reward_cost,
       sum(reward_sent)                                         AS reward_sent
FROM public.attribution_entry
GROUP BY tenant_id, day, currency, advocate_id, program_id, channel, agent_id;

-- advocate_stats as it is, plus conversions and rewards counted from attribution_entry
CREATE VIEW analytics.v_advocate_stats AS
SELECT s.tenant_id, s.advocate_key,
       CASE WHEN s.advocate_key LIKE 'person:%' THEN substr(s.advocate_key, 8) END AS advocate_id,
       s.referrer_name, s.referrer_email, s.total_referrals, s.received, s.contacted, s.qualified, s.converted,
       s.lost, s.first_referral_at, s.last_referral_at,
       COALESCE(a.conversions, 0) AS conversions,
       COALESCE(a.reversals, 0) AS reversals,
       COALESCE(a.rewards_earned, 0) AS rewards_earned,
       COALESCE(a.rewards_voided, 0) AS rewards_voided,
       COALESCE(a.rewards_sent, 0) AS rewards_sent
FROM public.advocate_stats s
LEFT JOIN (
    SELECT tenant_id, advocate_id,
           sum(conversions)::bigint AS conversions,
           sum(reversals)::bigint AS reversals,
           count(*) FILTER (WHERE entry_type = 'REWARD_ISSUED' AND reward_side <> 'REFERRED') AS rewards_earned,
           count(*) FILTER (WHERE entry_type = 'REWARD_VOIDED' AND reward_side <> 'REFERRED') AS rewards_voided,
           count(*) FILTER (WHERE entry_type = 'REWARD_SENT' AND reward_side <> 'REFERRED') AS rewards_sent
    FROM public.attribution_entry
    WHERE advocate_id IS NOT NULL
    GROUP BY tenant_id, advocate_id
) a ON a.tenant_id = s.tenant_id AND s.advocate_key = 'person:' || a.advocate_id;

-- per advocate and currency: money never adds up across currencies
CREATE VIEW analytics.v_advocate_revenue AS
SELECT tenant_id, advocate_id, currency,
       sum(conversions)::bigint                  AS conversions,
       sum(revenue)                              AS revenue,
       sum(reversed_revenue)                     AS reversed_revenue,
       sum(revenue - reversed_revenue)           AS net_revenue,
       sum(reward_issued - reward_voided) FILTER (WHERE reward_side IS DISTINCT FROM 'REFERRED') AS rewards_earned,
       sum(reward_sent) FILTER (WHERE reward_side IS DISTINCT FROM 'REFERRED')                   AS rewards_sent,
       sum(reward_clawed_back) FILTER (WHERE reward_side IS DISTINCT FROM 'REFERRED')            AS rewards_clawed_back
FROM public.attribution_entry
WHERE advocate_id IS NOT NULL AND currency IS NOT NULL
GROUP BY tenant_id, advocate_id, currency;

-- per referral received: the stages it reached (a referral that skipped a stage counts as having passed it)
CREATE VIEW analytics.v_funnel_referrals AS
SELECT referral_id, tenant_id, program_id, advocate_id, channel, received_at,
       (contacted_at IS NOT NULL OR qualified_at IS NOT NULL OR converted_at IS NOT NULL) AS reached_contacted,
       (qualified_at IS NOT NULL OR converted_at IS NOT NULL)                            AS reached_qualified,
       (converted_at IS NOT NULL)                                                        AS reached_converted
FROM public.referral_pipeline;

-- ledger_analyst: a role that reads the analytics views and nothing else. Login roles join it
-- (CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE ledger_analyst). Roles belong to the whole server: the role is
-- created once, and only when the migrating user may create roles; otherwise a DBA runs docs/analytics.md's SQL.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_analyst')
            AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
        BEGIN
            CREATE ROLE ledger_analyst NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database on the same server created it first
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_analyst') THEN
        GRANT USAGE ON SCHEMA analytics TO ledger_analyst;
        GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO ledger_analyst;
        -- views that later migrations add are readable too
        ALTER DEFAULT PRIVILEGES IN SCHEMA analytics GRANT SELECT ON TABLES TO ledger_analyst;
    ELSE
        RAISE NOTICE 'role ledger_analyst not created: the migrating user may not create roles';
    END IF;
END $$;
