package dev.referralledger.projections.referral;

import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralApproved;
import dev.referralledger.core.referral.ReferralContacted;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReferralLost;
import dev.referralledger.core.referral.ReferralQualified;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferralRejected;
import dev.referralledger.core.referral.ReferralStatus;
import dev.referralledger.core.referral.ReviewFlag;
import dev.referralledger.core.rules.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * A referral rebuilt from its events, with the rules of the pipeline projection ({@link PipelineBatch}): the same
 * fields, set by the same events, so that a referral as of now equals {@code GET /api/v1/referrals/{id}}. Pure: it
 * reads nothing and writes nothing, so any point of a referral's history can be replayed.
 *
 * <p>Times are rounded to the microsecond, as PostgreSQL stores the projection's; amounts are shown with the
 * currency's digits, as the projection shows them.</p>
 */
public final class ReferralFold {

    /** One event of the referral with its sequence number and the time it was recorded. */
    public record Stamped(Object event, long sequence, Instant at) {
    }

    private ReferralReceived received;
    private Instant receivedAt;
    private ReferralStatus status;
    private long version = -1;
    private Instant contactedAt, qualifiedAt, convertedAt, lostAt, dealClosedAt, updatedAt, reversedAt;
    private String resultingDealId, lostReason, reversalKind;
    private Money dealValue;
    private ReviewFlag flag;
    private BigDecimal reversed;
    private boolean fullyReversed;

    /** The referral after the events recorded at or before {@code asOf}; null when it was not received by then. */
    public static ReferralView asOf(List<Stamped> events, Instant asOf) {
        ReferralFold fold = new ReferralFold();
        for (Stamped e : events) {
            if (!e.at().isAfter(asOf)) {
                fold.apply(e);
            }
        }
        return fold.view();
    }

    /** Applies one event; one at or below the sequence already applied changes nothing, as in the projection. */
    public void apply(Stamped stamped) {
        Object event = stamped.event();
        Instant at = micros(stamped.at());
        if (event instanceof ReferralReceived e) {
            if (received == null) {
                received = e;
                // an imported referral keeps the time it was received at its source, as in the pipeline
                receivedAt = e.receivedAt() != null ? micros(e.receivedAt()) : at;
                status = ReferralStatus.RECEIVED;
                flag = e.flag();
                version = stamped.sequence();
                updatedAt = at;
            }
            return;
        }
        if (received == null || stamped.sequence() <= version) {
            return;
        }
        version = stamped.sequence();
        updatedAt = at;
        if (event instanceof ReferralContacted) {
            move(ReferralStatus.CONTACTED, at);
        } else if (event instanceof ReferralQualified) {
            move(ReferralStatus.QUALIFIED, at);
        } else if (event instanceof ReferralConverted e) {
            move(ReferralStatus.CONVERTED, at);
            resultingDealId = e.resultingDealId() != null ? e.resultingDealId() : resultingDealId;
            dealValue = e.dealValue() != null ? e.dealValue() : dealValue;
            dealClosedAt = e.closedAt() != null ? micros(e.closedAt()) : dealClosedAt;
        } else if (event instanceof ReferralLost e) {
            move(ReferralStatus.LOST, at);
            lostReason = e.reason() != null ? e.reason() : lostReason;
        } else if (event instanceof ReferralApproved) {
            flag = ReviewFlag.APPROVED;
        } else if (event instanceof ReferralRejected e) {
            move(ReferralStatus.LOST, at);
            lostReason = e.note() == null ? "Rejected in review" : e.note();
            flag = ReviewFlag.REJECTED;
        } else if (event instanceof ConversionReversed e) {
            BigDecimal amount = e.amount() == null ? BigDecimal.ZERO : e.amount().amount();
            reversed = reversed == null ? amount : reversed.add(amount);
            reversalKind = e.kind().name();
            reversedAt = at;
            fullyReversed |= e.full();
        }
    }

    private void move(ReferralStatus to, Instant at) {
        status = to;
        switch (to) {
            case CONTACTED -> contactedAt = at;
            case QUALIFIED -> qualifiedAt = at;
            case CONVERTED -> convertedAt = at;
            case LOST -> lostAt = at;
            case RECEIVED -> {
            }
        }
    }

    /** The referral as the API shows it; null before it was received. */
    public ReferralView view() {
        if (received == null) {
            return null;
        }
        ReferralReceived e = received;
        String dealCurrency = dealValue == null ? null : dealValue.currency();
        return new ReferralView(e.referralId(), status.name(), e.type(), e.channel() == null ? null : e.channel().name(),
                e.agentId(), referrer(e.referrer()), e.referred(), e.contacts() == null ? List.of() : e.contacts(),
                e.notes(), shown(e.expectedValue()), resultingDealId, shown(dealValue), dealClosedAt, lostReason,
                e.metadata() == null ? Map.of() : e.metadata(), receivedAt, contactedAt, qualifiedAt, convertedAt,
                lostAt, updatedAt, version, e.programId(), e.advocateId(), e.referredPersonId(), e.referralCode(),
                e.impressionId(), e.invitationId(), flag == null ? null : flag.name(), e.introduction(),
                reversed == null || dealCurrency == null ? null : shown(new Money(reversed, dealCurrency)),
                reversalKind, reversedAt, fullyReversed);
    }

    /** As the projection answers it: null when the referral named its advocate only by code or impression. */
    private static Advocate referrer(Advocate a) {
        if (a == null || (a.name() == null && a.email() == null && a.phone() == null && a.externalId() == null)) {
            return null;
        }
        return a;
    }

    private static Money shown(Money m) {
        if (m == null || m.amount() == null || m.currency() == null) {
            return null;
        }
        int digits = Math.max(Currency.getInstance(m.currency()).getDefaultFractionDigits(), 0);
        BigDecimal amount = m.amount().stripTrailingZeros();
        return new Money(amount.scale() <= digits ? amount.setScale(digits, RoundingMode.UNNECESSARY) : amount,
                m.currency());
    }

    /** PostgreSQL keeps microseconds, rounding the rest half up. */
    static Instant micros(Instant at) {
        Instant down = at.truncatedTo(ChronoUnit.MICROS);
        return at.getNano() % 1000 >= 500 ? down.plus(1, ChronoUnit.MICROS) : down;
    }
}
