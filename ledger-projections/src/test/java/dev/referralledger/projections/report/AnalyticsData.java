package dev.referralledger.projections.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.impression.ImpressionRecorded;
import dev.referralledger.core.impression.ImpressionSource;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralContacted;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReferralLost;
import dev.referralledger.core.referral.ReferralQualified;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.core.referral.ReversalKind;
import dev.referralledger.core.reward.RewardIssued;
import dev.referralledger.core.reward.RewardSent;
import dev.referralledger.core.reward.RewardSide;
import dev.referralledger.core.reward.RewardType;
import dev.referralledger.core.reward.RewardVoided;
import dev.referralledger.core.rules.Money;
import dev.referralledger.projections.AppliedPositions;
import dev.referralledger.projections.impression.ImpressionProjection;
import dev.referralledger.projections.referral.ReferralPipelineProjection;
import dev.referralledger.projections.testing.Feed;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * One tenant's worth of events through the pipeline, impression and attribution projections:
 * <pre>
 * impressions: prog-a/adv-1 ×4, prog-a/adv-2 ×2, prog-b/adv-2 ×1
 * r1 prog-a adv-1 API    contacted, qualified, converted 1000 USD, refund 200 USD; rewards 100 USD sent, 25 USD voided
 * r2 prog-a adv-1 WIDGET contacted, lost
 * r3 prog-a adv-2 WIDGET received
 * r4 prog-b adv-2 API    converted 500 EUR (straight from received)
 * r5 prog-a adv-1 API    contacted
 * </pre>
 * Ids are derived from the tenant, so seeding twice applies the same events twice (and changes nothing).
 */
final class AnalyticsData {

    private AnalyticsData() {
    }

    static void seed(JdbcTemplate jdbc, String tenant) {
        seedRewards(jdbc, tenant);
        Feed feed = new Feed(new ReferralPipelineProjection(jdbc, new ObjectMapper(), new AppliedPositions()),
                new ImpressionProjection(jdbc, new ObjectMapper()), new AttributionProjection(jdbc));
        Instant t = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        int n = 0;
        for (String[] at : new String[][]{{"prog-a", "adv-1", "4"}, {"prog-a", "adv-2", "2"}, {"prog-b", "adv-2", "1"}}) {
            for (int i = 0; i < Integer.parseInt(at[2]); i++) {
                String id = tenant + "-imp-" + n++;
                feed.apply(id, 0, t, new ImpressionRecorded(id, tenant, at[0], at[1], null, ImpressionSource.QR,
                        "poster", null, null, null, t, Map.of()));
            }
        }
        String r1 = tenant + "-r1", r2 = tenant + "-r2", r3 = tenant + "-r3", r4 = tenant + "-r4", r5 = tenant + "-r5";
        feed.apply(r1, 0, t, received(tenant, r1, "prog-a", "adv-1", Channel.API))
                .apply(r2, 0, t, received(tenant, r2, "prog-a", "adv-1", Channel.WIDGET))
                .apply(r3, 0, t, received(tenant, r3, "prog-a", "adv-2", Channel.WIDGET))
                .apply(r4, 0, t, received(tenant, r4, "prog-b", "adv-2", Channel.API))
                .apply(r5, 0, t, received(tenant, r5, "prog-a", "adv-1", Channel.API))
                .apply(r1, 1, t.plusSeconds(60), new ReferralContacted(r1, tenant, null))
                .apply(r1, 2, t.plusSeconds(120), new ReferralQualified(r1, tenant, null))
                .apply(r1, 3, t.plusSeconds(180), new ReferralConverted(r1, tenant, "deal-1",
                        new Money(new BigDecimal("1000.00"), "USD"), null, "prog-a", "adv-1", "p-1", Channel.API, "agent-1"))
                .apply(r1, 4, t.plusSeconds(86400), new ConversionReversed(r1, tenant, "deal-1", ReversalKind.REFUND,
                        new Money(new BigDecimal("200.00"), "USD"), new Money(new BigDecimal("800.00"), "USD"), false,
                        "one item", null, "prog-a", "adv-1", Channel.API, "agent-1"))
                .apply(r2, 1, t.plusSeconds(60), new ReferralContacted(r2, tenant, null))
                .apply(r2, 2, t.plusSeconds(90), new ReferralLost(r2, tenant, "no budget"))
                .apply(r4, 1, t.plusSeconds(200), new ReferralConverted(r4, tenant, "deal-4",
                        new Money(new BigDecimal("500.00"), "EUR"), null, "prog-b", "adv-2", "p-4", Channel.API, "agent-2"))
                .apply(r5, 1, t.plusSeconds(60), new ReferralContacted(r5, tenant, null));
        String sent = tenant + "-reward-1", voided = tenant + "-reward-2";
        feed.apply(sent, 0, t.plusSeconds(181), new RewardIssued(sent, tenant, r1, "prog-a", "adv-1", "adv-1",
                        RewardSide.REFERRER, RewardType.GIFT_CARD, new Money(new BigDecimal("100.00"), "USD"), 1,
                        t.plusSeconds(86400 * 30), "policy"))
                .apply(voided, 0, t.plusSeconds(181), new RewardIssued(voided, tenant, r1, "prog-a", "adv-1", "p-1",
                        RewardSide.REFERRED, RewardType.COUPON, new Money(new BigDecimal("25.00"), "USD"), 1,
                        t.plusSeconds(86400 * 30), "policy"))
                .apply(voided, 1, t.plusSeconds(86400), new RewardVoided(voided, tenant, "refund"))
                .apply(sent, 1, t.plusSeconds(86400 * 2), new RewardSent(sent, tenant, "GC-123", null));
    }

    private static ReferralReceived received(String tenant, String id, String program, String advocate, Channel channel) {
        return new ReferralReceived(id, tenant, new Advocate("Advocate " + advocate, advocate + "@example.com", null, null),
                new ReferredPerson("Sam", "Lee", id + "@example.com", null), List.of(), "agent-1", channel, null, null,
                null, Map.of(), program, advocate, "p-" + id, null, null, null, null, null, null);
    }

    /** Four rewards of adv-1 in reward_queue: ready, held until yesterday, held for 20 days, sent. */
    private static void seedRewards(JdbcTemplate jdbc, String tenant) {
        jdbc.update("DELETE FROM reward_queue WHERE tenant_id = ?", tenant);
        Object[][] rewards = {{"READY", "100", -1}, {"HELD", "30", -1}, {"HELD", "25", 20}, {"SENT", "40", -5}};
        for (int i = 0; i < rewards.length; i++) {
            jdbc.update("""
                    INSERT INTO reward_queue (reward_id, tenant_id, referral_id, program_id, advocate_id, recipient_id,
                        side, type, status, amount, currency, held_until, issued_at, updated_at, last_event_sequence)
                    VALUES (?, ?, ?, 'prog-a', 'adv-1', 'adv-1', 'REFERRER', 'GIFT_CARD', ?, ?::numeric, 'USD',
                        now() + make_interval(days => ?), now(), now(), 0)""",
                    tenant + "-reward-" + i, tenant, tenant + "-r1", rewards[i][0], rewards[i][1], rewards[i][2]);
        }
    }
}
