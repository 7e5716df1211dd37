package dev.referralledger.api.config;

import dev.referralledger.api.ApiTestSupport;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event store's settings (docs/configuration.md) reach the store the projections read from: Axon keeps them
 * inside its reader, so they are read from there. Writes are still projected with a cache of a handful of events.
 */
@TestPropertySource(properties = {"ledger.event-store.cached-events=7", "ledger.event-store.fetch-delay=PT0.35S"})
class EventStoreSettingsApiTest extends ApiTestSupport {

    /**
     * A database of its own: an application with other settings on the shared one would run processors of its
     * own there, which could take over another test class's segments while that one stops its processors.
     */
    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        useOwnDatabase(registry, "event_store_settings");
    }

    @Autowired
    EmbeddedEventStore eventStore;

    @Test
    void theCacheSizeAndFetchDelayAreTheOperatorsAndProjectionsStillSeeEveryEvent() throws Exception {
        Object reader = field(eventStore, "producer");
        assertThat(field(reader, "cachedEvents")).isEqualTo(7);
        assertThat(field(reader, "fetchDelayNanos")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(350));

        Client api = newTenant();
        for (int i = 0; i < 20; i++) {
            assertThat(api.post("/api/v1/referrals", referralBody("cache" + i + "@example.com")).status()).isEqualTo(201);
        }
        assertThat(api.get("/api/v1/referrals?limit=50").json().path("items")).hasSize(20);
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }
}
