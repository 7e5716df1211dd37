package dev.referralledger.api.publicform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.springframework.stereotype.Component;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * The public form's rate limits: a token bucket per client address and one per agent slug, kept in memory
 * (per application instance). Buckets refill smoothly (a 10/min bucket gets a token back every 6 seconds);
 * a bucket unused for a whole window is full again, so forgetting it then changes nothing.
 */
@Component
public class PublicFormLimits {

    /** What one request was granted: the limit closest to refusing it, and when to come back. */
    record Decision(boolean allowed, Rate rate, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private final Rate perAddress;
    private final Rate perSlug;
    private final Cache<String, Bucket> addresses;
    private final Cache<String, Bucket> slugs;
    private final String policy;

    public PublicFormLimits(PublicFormProperties properties) {
        this.perAddress = Rate.parse("ledger.public-form.per-address", properties.perAddress());
        this.perSlug = Rate.parse("ledger.public-form.per-slug", properties.perSlug());
        long size = properties.trackedKeys() > 0 ? properties.trackedKeys() : 100_000;
        this.addresses = Caffeine.newBuilder().maximumSize(size).expireAfterAccess(perAddress.window()).build();
        this.slugs = Caffeine.newBuilder().maximumSize(size).expireAfterAccess(perSlug.window()).build();
        this.policy = perAddress.policy() + ", " + perSlug.policy();
    }

    /** The RateLimit-Policy header: both quotas, per address first. */
    String policy() {
        return policy;
    }

    /**
     * Takes a token from the address's bucket, then from the slug's. A request refused per address takes
     * nothing from the slug, so one noisy client cannot use up an agent's quota by itself.
     */
    Decision take(String clientAddress, String slug) {
        ConsumptionProbe byAddress = bucket(addresses, addressKey(clientAddress), perAddress).tryConsumeAndReturnRemaining(1);
        if (!byAddress.isConsumed()) {
            return decision(false, perAddress, byAddress);
        }
        ConsumptionProbe bySlug = bucket(slugs, slug, perSlug).tryConsumeAndReturnRemaining(1);
        if (!bySlug.isConsumed()) {
            return decision(false, perSlug, bySlug);
        }
        return bySlug.getRemainingTokens() < byAddress.getRemainingTokens()
                ? decision(true, perSlug, bySlug) : decision(true, perAddress, byAddress);
    }

    private static Bucket bucket(Cache<String, Bucket> buckets, String key, Rate rate) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(rate.requests()).refillGreedy(rate.requests(), rate.window()))
                .build());
    }

    private static Decision decision(boolean allowed, Rate rate, ConsumptionProbe probe) {
        return new Decision(allowed, rate, probe.getRemainingTokens(), seconds(probe.getNanosToWaitForReset()),
                allowed ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill())));
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /**
     * IPv6 clients are counted per /64, the smallest block a home connection gets: otherwise every one of its
     * addresses would have a quota of its own.
     */
    static String addressKey(String remoteAddress) {
        if (remoteAddress == null) {
            return "unknown";
        }
        if (remoteAddress.indexOf(':') >= 0) {
            try {
                // a literal: no name is looked up
                InetAddress address = InetAddress.getByName(remoteAddress);
                if (address instanceof Inet6Address v6) {
                    return HexFormat.of().formatHex(v6.getAddress(), 0, 8) + "::/64";
                }
                return address.getHostAddress();
            } catch (UnknownHostException | SecurityException e) {
                return remoteAddress;
            }
        }
        return remoteAddress;
    }
}
