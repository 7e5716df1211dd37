package dev.referralledger.api.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.referralledger.api.audit.AuditProperties;
import dev.referralledger.api.config.ImportProperties;
import dev.referralledger.api.config.LedgerProperties;
import dev.referralledger.api.publicform.PublicFormProperties;
import org.springframework.core.Ordered;
import dev.referralledger.core.rules.FieldRules;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * First filter of every request: gives it a request id (answered in {@code X-Request-Id}), takes the caller's
 * {@code X-Correlation-Id} when it is sane, and bounds the body: a declared length over the limit answers 413
 * before anything is read; a streamed body is cut off at the limit. The public form ({@code /api/public/**})
 * has a limit of its own.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestIds extends OncePerRequestFilter {

    public static final String REQUEST_ID = RequestIds.class.getName() + ".requestId";
    public static final String CORRELATION_ID = RequestIds.class.getName() + ".correlationId";

    private static final Pattern SANE_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

    /** The one path with a body limit of its own (ledger.import.max-body-bytes). */
    public static final String IMPORT_PATH = "/api/v1/referrals/import";

    private final long maxBodyBytes;
    private final long maxPublicBodyBytes;
    private final long maxImportBodyBytes;
    private final long maxEventImportBodyBytes;

    /** The event import (an NDJSON export of a whole ledger) has a limit of its own (ledger.audit.import-max-body-bytes). */
    public static final String EVENTS_PATH = "/admin/events";
    /** The person-key import shares the referral import's limit (ledger.import.max-body-bytes). */
    public static final String PERSON_KEYS_PATH = "/admin/person-keys";

    public RequestIds(LedgerProperties properties, PublicFormProperties publicForm, ImportProperties imports,
                      AuditProperties audit) {
        this.maxBodyBytes = properties.maxBodyBytes() > 0 ? properties.maxBodyBytes() : 1024 * 1024;
        // the public form takes a few short fields from anyone: a much smaller cap
        this.maxPublicBodyBytes = publicForm.maxBodyBytes() > 0 ? publicForm.maxBodyBytes() : 32 * 1024;
        this.maxImportBodyBytes = imports.maxBodyBytes() > 0 ? imports.maxBodyBytes() : 32L * 1024 * 1024;
        this.maxEventImportBodyBytes = audit.importMaxBodyBytes() > 0 ? audit.importMaxBodyBytes() : 4L << 30;
    }

    private long maxBodyBytes(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // a person-key export holds a line per person of the whole ledger: 1 MB is about 7,000 people
        if ("POST".equals(request.getMethod()) && (IMPORT_PATH.equals(path) || PERSON_KEYS_PATH.equals(path))) {
            return maxImportBodyBytes;
        }
        if ("POST".equals(request.getMethod()) && EVENTS_PATH.equals(path)) {
            return maxEventImportBodyBytes;
        }
        return path.startsWith(PublicFormProperties.PATH_PREFIX) ? maxPublicBodyBytes : maxBodyBytes;
    }

    /**
     * Refused before anything runs: a write whose answer cannot be delivered would otherwise be stored and
     * then reported as an error.
     */
    private static boolean acceptsJson(HttpServletRequest request) {
        String path = request.getRequestURI();
        String accept = request.getHeader("Accept");
        if (accept == null || accept.isBlank() || !(path.startsWith("/api/") || path.startsWith("/admin/"))) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream().filter(m -> m.getQualityValue() > 0)
                    .anyMatch(m -> m.isCompatibleWith(MediaType.APPLICATION_JSON)
                            || m.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                            || m.isCompatibleWith(MediaType.APPLICATION_NDJSON) && path.startsWith("/admin/events"));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** Query parameters reach SQL as text, which cannot hold NUL: refuse them here, with the parameter's name. */
    private static String unstorableParameter(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (var entry : request.getParameterMap().entrySet()) {
            if (!FieldRules.storable(entry.getKey())) {
                return "?";
            }
            for (String value : entry.getValue()) {
                if (!FieldRules.storable(value)) {
                    return entry.getKey();
                }
            }
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = UUID.randomUUID().toString();
        String correlation = request.getHeader("X-Correlation-Id");
        request.setAttribute(REQUEST_ID, requestId);
        request.setAttribute(CORRELATION_ID, correlation != null && SANE_ID.matcher(correlation).matches() ? correlation : requestId);
        response.setHeader("X-Request-Id", requestId);
        // every answer is JSON: no browser may guess it is something else (HTML) from what it contains
        response.setHeader("X-Content-Type-Options", "nosniff");
        long limit = maxBodyBytes(request);
        if (request.getContentLengthLong() > limit) {
            Problems.write(response, 413, "PAYLOAD_TOO_LARGE", "Payload too large",
                    "The request body is larger than " + limit + " bytes.", request);
            return;
        }
        String badParameter = unstorableParameter(request);
        if (badParameter != null) {
            Problems.write(response, 400, "VALIDATION_FAILED", "Invalid request",
                    "Parameter '" + badParameter + "' contains NUL characters or broken surrogate pairs.", request);
            return;
        }
        if (!acceptsJson(request)) {
            Problems.write(response, 406, "NOT_ACCEPTABLE", "Not acceptable",
                    "This API answers application/json (and application/problem+json for errors).", request);
            return;
        }
        RequestBody body = new RequestBody(request, limit);
        request.setAttribute(RequestBody.ATTRIBUTE, body);
        chain.doFilter(body, response);
    }
}
