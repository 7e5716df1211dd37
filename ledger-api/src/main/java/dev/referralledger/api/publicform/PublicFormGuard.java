package dev.referralledger.api.publicform;

import dev.referralledger.api.http.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rate-limits posts of the public form per client address and per slug, before anything is read or looked
 * up, so that unknown and unpublished slugs are limited exactly like published ones. Every answer carries the
 * IETF draft {@code RateLimit-Policy} and {@code RateLimit} headers; a refusal is 429 {@code RATE_LIMITED}
 * with {@code Retry-After}.
 *
 * <p>The client address is the connection's ({@code request.getRemoteAddr()}). Behind a reverse proxy, set
 * {@code server.forward-headers-strategy} so that it is the proxy's {@code X-Forwarded-For} client instead.</p>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 25)
public class PublicFormGuard extends OncePerRequestFilter {

    private static final Pattern FORM = Pattern.compile("^/api/public/referral/([^/]+)/?$");
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9-]{1,64}$");

    private final PublicFormLimits limits;

    public PublicFormGuard(PublicFormLimits limits) {
        this.limits = limits;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !FORM.matcher(path(request)).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher form = FORM.matcher(path(request));
        String slug = form.matches() ? slugKey(form.group(1)) : "";
        PublicFormLimits.Decision decision = limits.take(request.getRemoteAddr(), slug);
        response.setHeader("RateLimit-Policy", limits.policy());
        response.setHeader("RateLimit", "limit=" + decision.rate().requests() + ", remaining=" + decision.remaining()
                + ", reset=" + decision.resetSeconds());
        if (!decision.allowed()) {
            response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            Problems.write(response, 429, "RATE_LIMITED", "Too many requests",
                    "Too many referrals were sent from this address or to this profile; retry after "
                            + decision.retryAfterSeconds() + " seconds.", request);
            return;
        }
        chain.doFilter(request, response);
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /**
     * The slug as the form's lookup will read it (decoded, lower case), so that spelling it differently does not
     * earn a fresh quota; everything that can never be a slug shares one bucket.
     */
    static String slugKey(String rawSegment) {
        String decoded;
        try {
            decoded = UriUtils.decode(rawSegment, StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "!malformed";
        }
        return SLUG.matcher(decoded).matches() ? decoded : "!malformed";
    }
}
