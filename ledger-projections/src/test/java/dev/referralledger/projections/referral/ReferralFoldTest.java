package dev.referralledger.projections.referral;

import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralApproved;
import dev.referralledger.core.referral.ReferralContacted;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferralRejected;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.core.referral.ReversalKind;
import dev.referralledger.core.referral.ReviewFlag;
import dev.referralledger.core.rules.Money;
import dev.referralledger.projections.referral.ReferralFold.Stamped;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The referral rebuilt from its events at chosen instants, without a database. */
class ReferralFoldTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private static ReferralReceived received(ReviewFlag flag) {
        return new ReferralReceived("r-1", "t-1", new Advocate(null, null, null, null),
                new ReferredPerson("Sam", "Lee", "sam@example.com", null), null, "agent-7", Channel.MANUAL, "BUY",
                null, new Money(new BigDecimal("500.0000"), "USD"), null, "p-1", "a-1", "s-1", "CODE", null, null, flag,
                null, null);
    }

    @Test
    void eachInstantSeesOnlyTheEventsRecordedByThen() {
        List<Stamped> events = List.of(
                new Stamped(received(null), 0, T0),
                new Stamped(new ReferralContacted("r-1", "t-1", null), 1, T0.plusSeconds(60)),
                new Stamped(new ReferralConverted("r-1", "t-1", "deal-1", new Money(new BigDecimal("1000"), "USD"),
                        Instant.parse("2026-01-01T00:00:00Z"), "p-1", "a-1", "s-1", Channel.MANUAL, "agent-7"), 2,
                        T0.plusSeconds(120)),
                new Stamped(new ConversionReversed("r-1", "t-1", "deal-1", ReversalKind.REFUND,
                        new Money(new BigDecimal("250"), "USD"), new Money(new BigDecimal("750"), "USD"), false, null,
                        null, "p-1", "a-1", Channel.MANUAL, "agent-7"), 3, T0.plusSeconds(180)));

        assertThat(ReferralFold.asOf(events, T0.minusNanos(1))).isNull();
        ReferralView received = ReferralFold.asOf(events, T0);
        assertThat(received.status()).isEqualTo("RECEIVED");
        assertThat(received.referrer()).as("an advocate named only by code shows no referrer").isNull();
        assertThat(received.contacts()).isEmpty();
        assertThat(received.metadata()).isEmpty();
        assertThat(received.expectedValue().amount()).isEqualTo(new BigDecimal("500.00"));
        assertThat(received.createdAt()).isEqualTo(T0);
        assertThat(received.version()).isZero();

        ReferralView contacted = ReferralFold.asOf(events, T0.plusSeconds(119));
        assertThat(contacted.status()).isEqualTo("CONTACTED");
        assertThat(contacted.contactedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(contacted.updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(contacted.dealValue()).isNull();

        ReferralView converted = ReferralFold.asOf(events, T0.plusSeconds(120));
        assertThat(converted.status()).isEqualTo("CONVERTED");
        assertThat(converted.dealValue().amount()).isEqualTo(new BigDecimal("1000.00"));
        assertThat(converted.dealClosedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(converted.reversedValue()).isNull();

        ReferralView reversed = ReferralFold.asOf(events, Instant.MAX);
        assertThat(reversed.status()).as("a partial refund leaves it converted").isEqualTo("CONVERTED");
        assertThat(reversed.reversedValue()).isEqualTo(new Money(new BigDecimal("250.00"), "USD"));
        assertThat(reversed.reversalKind()).isEqualTo("REFUND");
        assertThat(reversed.fullyReversed()).isFalse();
        assertThat(reversed.version()).isEqualTo(3);
    }

    @Test
    void reviewDecisionsSetTheFlagAndARejectionLosesTheReferral() {
        ReferralView approved = ReferralFold.asOf(List.of(new Stamped(received(ReviewFlag.REVIEW), 0, T0),
                new Stamped(new ReferralApproved("r-1", "t-1", null), 1, T0.plusSeconds(1))), Instant.MAX);
        assertThat(approved.flag()).isEqualTo("APPROVED");
        assertThat(approved.status()).isEqualTo("RECEIVED");

        List<Stamped> rejected = List.of(new Stamped(received(ReviewFlag.REVIEW), 0, T0),
                new Stamped(new ReferralRejected("r-1", "t-1", null), 1, T0.plusSeconds(1)),
                new Stamped(new ReferralContacted("r-1", "t-1", null), 1, T0.plusSeconds(2)));
        ReferralView lost = ReferralFold.asOf(rejected, Instant.MAX);
        assertThat(lost.flag()).isEqualTo("REJECTED");
        assertThat(lost.status()).as("an event at a sequence already applied changes nothing").isEqualTo("LOST");
        assertThat(lost.lostReason()).isEqualTo("Rejected in review");
        assertThat(ReferralFold.asOf(rejected, T0).flag()).isEqualTo("REVIEW");
    }

    @Test
    void timesAreRoundedToTheMicrosecondLikePostgresql() {
        assertThat(ReferralFold.micros(Instant.parse("2026-11-01T10:00:00.123456499Z")))
                .isEqualTo(Instant.parse("2026-11-01T10:00:00.123456Z"));
        assertThat(ReferralFold.micros(Instant.parse("2026-11-01T10:00:00.123456500Z")))
                .isEqualTo(Instant.parse("2026-11-01T10:00:00.123457Z"));
    }
}
