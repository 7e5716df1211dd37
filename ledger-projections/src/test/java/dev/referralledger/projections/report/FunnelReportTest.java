package dev.referralledger.projections.report;

import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** The funnel report over impression and referral_pipeline, against real PostgreSQL. */
class FunnelReportTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());
    private final ReportQueries reports = new ReportQueries(jdbc);
    private final String tenant = "t-" + UUID.randomUUID();

    private List<FunnelRow> funnel(FunnelReport.Dimension by, String program, LocalDate from, LocalDate to) {
        return reports.funnel(new FunnelReport(tenant, by, program, from, to, 100)).rows();
    }

    @Test
    void countsEachStageAReferralReachedPerProgramAdvocateAndChannel() {
        AnalyticsData.seed(jdbc, tenant);
        AnalyticsData.seed(jdbc, tenant); // applied twice: nothing changes

        assertThat(funnel(FunnelReport.Dimension.PROGRAM, null, null, null))
                .extracting(FunnelRow::key, FunnelRow::impressions, FunnelRow::referrals, FunnelRow::contacted,
                        FunnelRow::qualified, FunnelRow::converted)
                .containsExactly(tuple("prog-a", 6L, 4L, 3L, 1L, 1L), tuple("prog-b", 1L, 1L, 1L, 1L, 1L));
        assertThat(funnel(FunnelReport.Dimension.ADVOCATE, null, null, null))
                .extracting(FunnelRow::key, FunnelRow::impressions, FunnelRow::referrals, FunnelRow::contacted,
                        FunnelRow::qualified, FunnelRow::converted)
                .containsExactly(tuple("adv-1", 4L, 3L, 3L, 1L, 1L), tuple("adv-2", 3L, 2L, 1L, 1L, 1L));
        List<FunnelRow> byChannel = funnel(FunnelReport.Dimension.CHANNEL, null, null, null);
        assertThat(byChannel)
                .extracting(FunnelRow::key, FunnelRow::impressions, FunnelRow::referrals, FunnelRow::contacted,
                        FunnelRow::qualified, FunnelRow::converted)
                .containsExactly(tuple("API", null, 3L, 3L, 2L, 2L), tuple("WIDGET", null, 2L, 1L, 0L, 0L));
        FunnelRow api = byChannel.get(0);
        assertThat(api.referralRate()).as("impressions have no channel").isNull();
        assertThat(api.contactRate()).isEqualByComparingTo("1");
        assertThat(api.qualificationRate()).isEqualByComparingTo("0.6667");
        assertThat(api.closeRate()).isEqualByComparingTo("1");
        assertThat(api.conversionRate()).isEqualByComparingTo("0.6667");
        assertThat(byChannel.get(1).closeRate()).as("nothing qualified: no rate").isNull();

        FunnelRow progA = funnel(FunnelReport.Dimension.ADVOCATE, "prog-a", null, null).get(0);
        assertThat(progA.key()).isEqualTo("adv-1");
        assertThat(progA.referralRate()).isEqualByComparingTo("0.75");
    }

    @Test
    void datesSelectImpressionsAndReferralsByTheirUtcDay() {
        AnalyticsData.seed(jdbc, tenant);
        LocalDate seeded = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(10);
        // the seed's times are ten days ago at this time of day: that day, or the next when near midnight
        List<FunnelRow> window = funnel(FunnelReport.Dimension.PROGRAM, null, seeded.minusDays(1), seeded.plusDays(2));
        assertThat(window).extracting(FunnelRow::referrals).containsExactly(4L, 1L);
        assertThat(funnel(FunnelReport.Dimension.PROGRAM, null, seeded.plusDays(2), null)).isEmpty();
        assertThat(funnel(FunnelReport.Dimension.PROGRAM, null, null, seeded.minusDays(1))).isEmpty();
    }
}
