package dev.referralledger.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The storage mapper reads every instant as Jackson's own deserializer does, with the hand-written parser in use. */
class StoredInstantDeserializerTest {

    private final ObjectMapper stored = AxonConfig.storageMapper();
    private final ObjectMapper jackson = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    @Test
    void theStorageMapperReadsInstantsWithTheHandWrittenParser() throws Exception {
        DefaultDeserializationContext context = ((DefaultDeserializationContext) stored.getDeserializationContext())
                .createDummyInstance(stored.getDeserializationConfig());
        assertThat(context.findRootValueDeserializer(stored.constructType(Instant.class)))
                .isInstanceOf(StoredInstantDeserializer.class);
    }

    @Test
    void whatTheMapperWritesReadsBackAsJacksonReadsIt() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(-2_208_988_800L + (long) (random.nextDouble() * 9_467_280_000L),
                    i % 3 == 0 ? 0 : random.nextInt(1_000_000_000));
            String json = stored.writeValueAsString(at);
            assertThat(stored.readValue(json, Instant.class)).as(json).isEqualTo(at)
                    .isEqualTo(jackson.readValue(json, Instant.class));
        }
    }

    @Test
    void otherFormsAreLeftToJackson() throws Exception {
        for (String json : List.of("\"2026-11-21T21:52:29+01:00\"", "\"2026-11-21T21:52:29.5+05:30\"", "1700000000",
                "1700000000.123456789", "\"+10000-01-01T00:00:00Z\"", "null")) {
            assertThat(stored.readValue(json, Instant.class)).as(json).isEqualTo(jackson.readValue(json, Instant.class));
        }
        for (String json : List.of("\"yesterday\"", "\"2025-02-30T00:00:00Z\"", "true")) {
            Class<? extends Throwable> refused = null;
            try {
                jackson.readValue(json, Instant.class);
            } catch (Exception e) {
                refused = e.getClass();
            }
            if (refused == null) {
                assertThat(stored.readValue(json, Instant.class)).isEqualTo(jackson.readValue(json, Instant.class));
            } else {
                assertThatThrownBy(() -> stored.readValue(json, Instant.class)).as(json).isInstanceOf(refused);
            }
        }
    }
}
