-- analytics.v_rewards: the reward queue for analysts, under the same stability promise as the other views.
CREATE VIEW analytics.v_rewards AS
SELECT reward_id, tenant_id, referral_id, program_id, advocate_id, recipient_id, side, type, status, amount,
       currency, policy_version, held_until, issued_at, ready_at, sent_at, fulfilment_reference, voided_at,
       clawback_amount, clawed_back_at, updated_at
FROM reward_queue;

-- default privileges cover views created by the same owner; granted explicitly too, in case they were not
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_analyst') THEN
        GRANT SELECT ON analytics.v_rewards TO ledger_analyst;
    END IF;
END
$$;
