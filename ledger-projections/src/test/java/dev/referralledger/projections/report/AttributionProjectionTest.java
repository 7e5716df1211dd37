package dev.referralledger.projections.report;

import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReversalKind;
import dev.referralledger.core.reward.RewardClawbackRecorded;
import dev.referralledger.core.reward.RewardIssued;
import dev.referralledger.core.reward.RewardSent;
import dev.referralledger.core.reward.RewardSide;
import dev.referralledger.core.reward.RewardType;
import dev.referralledger.core.reward.RewardVoided;
import dev.referralledger.core.rules.Money;
import dev.referralledger.projections.testing.Feed;
import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The attribution projection and report against real PostgreSQL. */
class AttributionProjectionTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());
    private final AttributionProjection projection = new AttributionProjection(jdbc);
    private final ReportQueries reports = new ReportQueries(jdbc);
    private final Feed feed = new Feed(projection);
    private final String tenant = "t-" + UUID.randomUUID();
    private final Instant t0 = Instant.parse("2026-11-01T09:00:00Z");

    private static Money money(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    private ReferralConverted converted(String referralId, Money value, Instant closedAt, String program,
                                        String advocate, Channel channel, String agent) {
        return new ReferralConverted(referralId, tenant, "deal-" + referralId, value, closedAt, program, advocate,
                "person-referred", channel, agent);
    }

    private ConversionReversed reversed(String referralId, Money amount, boolean full, Instant at) {
        return new ConversionReversed(referralId, tenant, "deal-" + referralId, ReversalKind.REFUND, amount, null, full,
                "returned", at, "prog-1", "adv-1", Channel.API, "agent-1");
    }

    private List<AttributionRow> report(AttributionReport.Dimension by, LocalDate from, LocalDate to, String currency) {
        return reports.attribution(new AttributionReport(tenant, by, from, to, currency, 100)).rows();
    }

    @Test
    void aConversionAndItsRefundsShowRevenueReversedAndNetAndAReplayChangesNothing() {
        String id = UUID.randomUUID().toString();
        feed.apply(id, 3, t0, converted(id, money("1000.00", "USD"), null, "prog-1", "adv-1", Channel.API, "agent-1"))
                .apply(id, 4, t0.plusSeconds(3600), reversed(id, money("250.00", "USD"), false, null))
                .apply(id, 5, t0.plusSeconds(7200), reversed(id, money("750.00", "USD"), true, null));
        feed.replay();

        List<AttributionRow> rows = report(AttributionReport.Dimension.ADVOCATE, null, null, null);
        assertThat(rows).hasSize(1);
        AttributionRow row = rows.get(0);
        assertThat(row.key()).isEqualTo("adv-1");
        assertThat(row.currency()).isEqualTo("USD");
        assertThat(row.revenue()).isEqualByComparingTo("1000");
        assertThat(row.reversedRevenue()).isEqualByComparingTo("1000");
        assertThat(row.netRevenue()).isEqualByComparingTo("0");
        assertThat(row.conversions()).isEqualTo(1);
        assertThat(row.reversals()).isEqualTo(2);
        assertThat(row.rewardCost()).as("no reward events yet").isEqualByComparingTo("0");
        assertThat(row.revenue().scale()).as("shown with the currency's digits").isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM attribution_entry WHERE tenant_id = ?", Long.class, tenant))
                .isEqualTo(3);
    }

    @Test
    void currenciesAreNeverAddedUpAndCanBeFiltered() {
        String usd = UUID.randomUUID().toString();
        String eur = UUID.randomUUID().toString();
        String none = UUID.randomUUID().toString();
        feed.apply(usd, 2, t0, converted(usd, money("100.00", "USD"), null, "prog-1", "adv-1", Channel.API, null))
                .apply(eur, 2, t0, converted(eur, money("80.50", "EUR"), null, "prog-1", "adv-1", Channel.API, null))
                .apply(none, 2, t0, converted(none, null, null, "prog-1", "adv-1", Channel.API, null));

        List<AttributionRow> rows = report(AttributionReport.Dimension.ADVOCATE, null, null, null);
        assertThat(rows).extracting(AttributionRow::currency).containsExactly("EUR", "USD", null);
        assertThat(rows.get(0).revenue()).isEqualByComparingTo("80.50");
        assertThat(rows.get(1).revenue()).isEqualByComparingTo("100");
        assertThat(rows.get(2).conversions()).as("a conversion without a value still counts").isEqualTo(1);
        assertThat(rows.get(2).revenue()).isEqualByComparingTo("0");

        assertThat(report(AttributionReport.Dimension.ADVOCATE, null, null, "EUR"))
                .extracting(AttributionRow::currency).containsExactly("EUR");
    }

    @Test
    void groupsByProgramChannelAndAgentOnTheUtcDayFromInclusiveToExclusive() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();
        // closedAt decides the day: a and b close on 1 November, c on 2 November (23:30 UTC on 1 Nov is still the 1st)
        feed.apply(a, 1, t0, converted(a, money("10", "USD"), Instant.parse("2026-11-01T23:30:00Z"), "prog-1", "adv-1",
                        Channel.API, "agent-1"))
                .apply(b, 1, t0, converted(b, money("20", "USD"), Instant.parse("2026-11-01T00:00:00Z"), "prog-2",
                        "adv-2", Channel.WIDGET, "agent-1"))
                .apply(c, 1, t0, converted(c, money("40", "USD"), Instant.parse("2026-11-02T00:00:00Z"), "prog-2",
                        "adv-2", Channel.WIDGET, "agent-2"));

        assertThat(report(AttributionReport.Dimension.PROGRAM, null, null, null))
                .extracting(AttributionRow::key, r -> r.revenue().toPlainString(), AttributionRow::conversions)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("prog-2", "60.00", 2L),
                        org.assertj.core.groups.Tuple.tuple("prog-1", "10.00", 1L));
        assertThat(report(AttributionReport.Dimension.CHANNEL, null, null, null))
                .extracting(AttributionRow::key).containsExactly("WIDGET", "API");
        assertThat(report(AttributionReport.Dimension.AGENT, null, null, null))
                .extracting(AttributionRow::key).containsExactly("agent-2", "agent-1");

        LocalDate nov1 = LocalDate.parse("2026-11-01");
        LocalDate nov2 = LocalDate.parse("2026-11-02");
        assertThat(report(AttributionReport.Dimension.AGENT, nov1, nov2, null))
                .extracting(AttributionRow::key, r -> r.revenue().toPlainString())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("agent-1", "30.00"));
        assertThat(report(AttributionReport.Dimension.AGENT, nov2, null, null))
                .extracting(AttributionRow::key).containsExactly("agent-2");
    }

    @Test
    void rewardCostIsIssuedMinusVoidedMinusClawedBackOnTheDaysTheyHappen() {
        String referral = UUID.randomUUID().toString();
        String forAdvocate = UUID.randomUUID().toString();
        String forReferred = UUID.randomUUID().toString();
        feed.apply(referral, 3, t0, converted(referral, money("1000", "USD"), null, "prog-1", "adv-1", Channel.WIDGET,
                        "agent-9"))
                .apply(forAdvocate, 0, t0.plusSeconds(1), new RewardIssued(forAdvocate, tenant, referral, "prog-1",
                        "adv-1", "adv-1", RewardSide.REFERRER, RewardType.GIFT_CARD, money("50", "USD"), 1,
                        t0.plusSeconds(86400 * 30), "policy"))
                .apply(forReferred, 0, t0.plusSeconds(1), new RewardIssued(forReferred, tenant, referral, "prog-1",
                        "adv-1", "person-referred", RewardSide.REFERRED, RewardType.COUPON, money("20", "USD"), 1,
                        t0.plusSeconds(86400 * 30), "policy"))
                .apply(forReferred, 1, t0.plusSeconds(86400), new RewardVoided(forReferred, tenant, "rejected"))
                .apply(forAdvocate, 2, t0.plusSeconds(86400 * 31), new RewardSent(forAdvocate, tenant, "GC-1", null))
                .apply(forAdvocate, 3, t0.plusSeconds(86400 * 40), new RewardClawbackRecorded(forAdvocate, tenant,
                        money("50", "USD"), "chargeback"));
        feed.replay();

        AttributionRow row = report(AttributionReport.Dimension.CHANNEL, null, null, null).get(0);
        assertThat(row.key()).as("a reward takes the channel of its conversion").isEqualTo("WIDGET");
        assertThat(row.rewardsIssued()).isEqualByComparingTo("70");
        assertThat(row.rewardsVoided()).isEqualByComparingTo("20");
        assertThat(row.rewardsClawedBack()).isEqualByComparingTo("50");
        assertThat(row.rewardsSent()).isEqualByComparingTo("50");
        assertThat(row.rewardCost()).isEqualByComparingTo("0");
        assertThat(row.revenue()).isEqualByComparingTo("1000");

        // on the day of issue only the issue counts
        LocalDate nov1 = LocalDate.parse("2026-11-01");
        AttributionRow firstDay = report(AttributionReport.Dimension.AGENT, nov1, nov1.plusDays(1), null).get(0);
        assertThat(firstDay.key()).isEqualTo("agent-9");
        assertThat(firstDay.rewardCost()).isEqualByComparingTo("70");
        assertThat(jdbc.queryForObject("""
                SELECT sum(reward_cost) FROM analytics.v_attribution WHERE tenant_id = ? AND day < '2026-11-03'""",
                BigDecimal.class, tenant)).isEqualByComparingTo("50");
    }

    @Test
    void aProcessorBatchIsWrittenWhenItCommitsAndResolvesRewardsWithinIt() {
        String referral = UUID.randomUUID().toString();
        String reward = UUID.randomUUID().toString();
        var unitOfWork = org.axonframework.messaging.unitofwork.DefaultUnitOfWork.startAndGet(
                org.axonframework.eventhandling.GenericEventMessage.asEventMessage("batch"));
        feed.apply(referral, 3, t0, converted(referral, money("300", "GBP"), null, "prog-1", "adv-1", Channel.MANUAL,
                        "agent-3"))
                .apply(reward, 0, t0, new RewardIssued(reward, tenant, referral, "prog-1", "adv-1", "adv-1",
                        RewardSide.REFERRER, RewardType.CASH, money("30", "GBP"), 1, t0, "policy"))
                .apply(reward, 1, t0, new RewardVoided(reward, tenant, "rejected"))
                .apply(reward, 1, t0, new RewardVoided(reward, tenant, "rejected"));
        assertThat(report(AttributionReport.Dimension.AGENT, null, null, null)).as("nothing before commit").isEmpty();
        unitOfWork.commit();

        AttributionRow row = report(AttributionReport.Dimension.AGENT, null, null, null).get(0);
        assertThat(row.key()).isEqualTo("agent-3");
        assertThat(row.revenue()).isEqualByComparingTo("300");
        assertThat(row.rewardsIssued()).isEqualByComparingTo("30");
        assertThat(row.rewardsVoided()).isEqualByComparingTo("30");
        assertThat(row.rewardCost()).isEqualByComparingTo("0");

        // the next batch finds the issue in the table
        feed.apply(reward, 2, t0, new RewardClawbackRecorded(reward, tenant, money("10", "GBP"), "test"));
        assertThat(report(AttributionReport.Dimension.AGENT, null, null, null).get(0).rewardsClawedBack())
                .isEqualByComparingTo("10");
    }

    @Test
    void theResetHandlerEmptiesTheTable() {
        String id = UUID.randomUUID().toString();
        feed.apply(id, 1, t0, converted(id, money("5", "USD"), null, "prog-1", "adv-1", Channel.API, null));
        projection.reset();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM attribution_entry", Long.class)).isZero();
    }
}
