package dev.referralledger.core.reward;

import dev.referralledger.core.lookup.InMemoryLookups;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConversionCountsTest {

    @Test
    void eachConversionIsCountedOnceAndKeepsItsNumber() {
        ConversionCounts counts = new ConversionCounts(new InMemoryLookups());
        assertThat(counts.handle(new CountConversion("t", "ref-1", "prog-1", "adv-1"))).isEqualTo(1);
        assertThat(counts.handle(new CountConversion("t", "ref-2", "prog-1", "adv-1"))).isEqualTo(2);
        assertThat(counts.handle(new CountConversion("t", "ref-1", "prog-1", "adv-1"))).isEqualTo(1);
        assertThat(counts.handle(new CountConversion("t", "ref-3", "prog-2", "adv-1"))).isEqualTo(1);
    }
}
