package dev.referralledger.api.publicform;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rate-limit settings, the keys requests are counted under, and the buckets themselves. */
class PublicFormLimitsTest {

    private static PublicFormLimits limits(String perAddress, String perSlug) {
        return new PublicFormLimits(new PublicFormProperties(32768, perAddress, perSlug, 1000, List.of("*")));
    }

    @Test
    void ratesAreReadInTheirUsualSpellings() {
        assertThat(Rate.parse("x", "10/min")).isEqualTo(new Rate(10, Duration.ofMinutes(1)));
        assertThat(Rate.parse("x", " 3 / s ")).isEqualTo(new Rate(3, Duration.ofSeconds(1)));
        assertThat(Rate.parse("x", "100/hour")).isEqualTo(new Rate(100, Duration.ofHours(1)));
        assertThat(Rate.parse("x", "1000/day")).isEqualTo(new Rate(1000, Duration.ofDays(1)));
        assertThat(Rate.parse("x", "20/PT30S")).isEqualTo(new Rate(20, Duration.ofSeconds(30)));
        assertThat(Rate.parse("x", "10/min").policy()).isEqualTo("10;w=60");
    }

    @Test
    void aRateThatCannotBeReadStopsTheStartWithTheSettingsName() {
        for (String bad : new String[]{"10", "ten/min", "0/min", "10/fortnight", "10/PT0S", "", null}) {
            assertThatThrownBy(() -> limits(bad, "60/min"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ledger.public-form.per-address");
        }
    }

    @Test
    void ipv6ClientsAreCountedPer64AndIpv4PerAddress() {
        assertThat(PublicFormLimits.addressKey("2001:db8:1:2:aaaa::1"))
                .isEqualTo(PublicFormLimits.addressKey("2001:db8:1:2:bbbb::9"))
                .isNotEqualTo(PublicFormLimits.addressKey("2001:db8:1:3::1"));
        assertThat(PublicFormLimits.addressKey("[2001:db8:1:2::5]")).isEqualTo(PublicFormLimits.addressKey("2001:db8:1:2::1"));
        assertThat(PublicFormLimits.addressKey("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(PublicFormLimits.addressKey("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(PublicFormLimits.addressKey(null)).isEqualTo("unknown");
    }

    @Test
    void slugsAreCountedAsTheyAreLookedUp() {
        assertThat(PublicFormGuard.slugKey("Jane-Doe")).isEqualTo("jane-doe");
        assertThat(PublicFormGuard.slugKey("%6Aane-doe")).isEqualTo("jane-doe");
        assertThat(PublicFormGuard.slugKey("not%20a%20slug")).isEqualTo("!malformed");
        assertThat(PublicFormGuard.slugKey("%zz")).isEqualTo("!malformed");
        assertThat(PublicFormGuard.slugKey("x".repeat(65))).isEqualTo("!malformed");
    }

    @Test
    void theLimitClosestToRefusingIsReportedAndARefusalSaysWhenToComeBack() {
        PublicFormLimits limits = limits("3/min", "2/min");
        PublicFormLimits.Decision first = limits.take("203.0.113.1", "jane");
        assertThat(first.allowed()).isTrue();
        assertThat(first.rate().requests()).isEqualTo(2);
        assertThat(first.remaining()).isEqualTo(1);
        assertThat(limits.take("203.0.113.2", "jane").remaining()).isZero();
        PublicFormLimits.Decision refused = limits.take("203.0.113.3", "jane");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 30L);
        assertThat(refused.resetSeconds()).isBetween(1L, 60L);
        assertThat(limits.policy()).isEqualTo("3;w=60, 2;w=60");

        // refused per address: the slug's quota is left alone
        PublicFormLimits byAddress = limits("1/min", "2/min");
        assertThat(byAddress.take("203.0.113.9", "kim").allowed()).isTrue();
        assertThat(byAddress.take("203.0.113.9", "kim").allowed()).isFalse();
        assertThat(byAddress.take("203.0.113.10", "kim").remaining()).isZero();
    }
}
