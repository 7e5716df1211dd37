package dev.referralledger.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.api.privacy.PersonalDataCipher;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.Contact;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.core.rules.Money;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What encrypting personal data costs a write: 100,000 ReferralReceived serialized by the plain storage mapper
 * and by the protected one (keys of 1,000 people, cached as in steady state). Reported, not asserted on timing:
 * the machine is shared. The round trip and the absence of plaintext are asserted.
 */
class PersonalDataOverheadTest extends ApiTestSupport {

    private static final int EVENTS = 100_000;
    private static final int PEOPLE = 1_000;

    @Autowired
    PersonalDataCipher cipher;

    @Test
    void encryptingPersonalDataCostsAWriteLittle() throws Exception {
        String tenant = "overhead-" + UUID.randomUUID().toString().substring(0, 8);
        List<ReferralReceived> events = new java.util.ArrayList<>(PEOPLE);
        for (int i = 0; i < PEOPLE; i++) {
            events.add(new ReferralReceived("r-" + i, tenant, new Advocate("Pat Jones", "pat" + i + "@example.com", null, null),
                    new ReferredPerson("Sam", "Lee", "sam" + i + "@example.com", "+14155552671"),
                    List.of(new Contact("John", "john@example.com", null, true)), "agent-7", Channel.API, "PURCHASE",
                    "Selling a condo", new Money(new BigDecimal("50000.00"), "USD"), Map.of("campaign", "spring"),
                    null, "adv-" + i, "ref-" + i, null, null, null, null, null, Instant.parse("2024-01-01T00:00:00Z")));
        }
        ObjectMapper plain = AxonConfig.storageMapper();
        ObjectMapper sealed = AxonConfig.protectedStorageMapper(cipher);
        for (ReferralReceived e : events) {
            sealed.writeValueAsBytes(e); // makes the keys, outside any transaction (autocommit)
        }
        long plainBytes = 0;
        long sealedBytes = 0;
        long plainNanos = 0;
        long sealedNanos = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            plainBytes = 0;
            sealedBytes = 0;
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                plainBytes += plain.writeValueAsBytes(events.get(i % PEOPLE)).length;
            }
            plainNanos = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                sealedBytes += sealed.writeValueAsBytes(events.get(i % PEOPLE)).length;
            }
            sealedNanos = System.nanoTime() - start;
        }
        System.out.printf("Serializing %,d ReferralReceived: plain %,d ms (%,d bytes), encrypted %,d ms (%,d bytes):"
                        + " %.1f µs more per event, %.2fx the bytes%n", EVENTS, plainNanos / 1_000_000, plainBytes,
                sealedNanos / 1_000_000, sealedBytes, (sealedNanos - plainNanos) / 1000.0 / EVENTS,
                (double) sealedBytes / plainBytes);

        byte[] one = sealed.writeValueAsBytes(events.get(7));
        assertThat(new String(one, StandardCharsets.UTF_8)).doesNotContain("pat7@example.com", "sam7@example.com",
                "Selling a condo", "John");
        assertThat(sealed.readValue(one, ReferralReceived.class)).isEqualTo(events.get(7));
    }

    /**
     * The personal data of an event is written by a second mapper inside the first: with Jackson's per-thread
     * buffers it took fresh ones for every sealed field: 35,838 bytes allocated per ReferralReceived, 17,910 with a
     * shared pool (the rest is mostly the cipher's own). Allocation, unlike time, does not depend on the machine.
     * Several threads at once share the pool, and each gets its own events back.
     */
    @Test
    void sealingReusesTheNestedMappersBuffersAcrossThreads() throws Exception {
        String tenant = "buffers-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectMapper sealed = AxonConfig.protectedStorageMapper(cipher);
        List<ReferralReceived> events = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(new ReferralReceived("r-" + i, tenant, new Advocate("Pat Jones", "pat" + i + "@example.com", null, null),
                    new ReferredPerson("Sam", "Lee", "sam" + i + "@example.com", "+14155552671"),
                    List.of(new Contact("John", "john" + i + "@example.com", null, true)), "agent-7", Channel.API, "PURCHASE",
                    "Selling condo " + i, new Money(new BigDecimal("50000.00"), "USD"), Map.of("campaign", "spring"),
                    null, "adv-" + i, "ref-" + i, null, null, null, null, null, Instant.parse("2024-01-01T00:00:00Z")));
        }
        for (ReferralReceived e : events) {
            sealed.readValue(sealed.writeValueAsBytes(e), ReferralReceived.class); // keys made and cached, code warm
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 10; round++) {
            for (ReferralReceived e : events) {
                sealed.writeValueAsBytes(e);
            }
        }
        long perEvent = (threads.getCurrentThreadAllocatedBytes() - before) / (10L * events.size());
        System.out.printf("Sealing a ReferralReceived allocates %,d bytes%n", perEvent);
        assertThat(perEvent).isLessThan(25_000);

        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> sameBack = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                sameBack.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (ReferralReceived e : events) {
                            if (!sealed.readValue(sealed.writeValueAsBytes(e), ReferralReceived.class).equals(e)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (var f : sameBack) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }
}
