package dev.referralledger.projections.referral;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralApproved;
import dev.referralledger.core.referral.ReferralContacted;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReferralLost;
import dev.referralledger.core.referral.ReferralQualified;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferralRejected;
import dev.referralledger.projections.history.AggregateHistory;
import dev.referralledger.projections.history.EventHistoryQueries;
import dev.referralledger.projections.history.RecordedEvent;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Answers a referral as of an instant from the event store (not from the pipeline, which only knows the present):
 * the referral's history, tenant-checked like {@link EventHistoryQueries}, folded by {@link ReferralFold}.
 */
@Component
public class ReferralAsOfQueries {

    private static final Map<String, Class<?>> EVENTS = Stream.of(ReferralReceived.class, ReferralContacted.class,
                    ReferralQualified.class, ReferralConverted.class, ReferralLost.class, ReferralApproved.class,
                    ReferralRejected.class, ConversionReversed.class)
            .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));

    private final EventHistoryQueries history;
    private final ObjectMapper json;

    public ReferralAsOfQueries(EventHistoryQueries history, ObjectMapper json) {
        this.history = history;
        this.json = json;
    }

    @QueryHandler
    public ReferralAsOf find(FindReferralAsOf query) {
        List<RecordedEvent> events = history.history(new AggregateHistory(query.tenantId(), query.referralId())).events();
        if (events.isEmpty()) {
            return null;
        }
        List<ReferralFold.Stamped> stamped = new ArrayList<>();
        for (RecordedEvent e : events) {
            Class<?> type = EVENTS.get(e.type());
            if (type != null) {
                stamped.add(new ReferralFold.Stamped(read(e, type), e.sequenceNumber(), e.timestamp()));
            }
        }
        return new ReferralAsOf(ReferralFold.asOf(stamped, query.asOf()), events.get(0).timestamp());
    }

    private Object read(RecordedEvent e, Class<?> type) {
        try {
            return json.treeToValue(e.payload(), type);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("unreadable " + e.type() + " " + e.eventId(), ex);
        }
    }
}
