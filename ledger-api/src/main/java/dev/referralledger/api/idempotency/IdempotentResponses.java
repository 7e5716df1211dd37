package dev.referralledger.api.idempotency;

import dev.referralledger.api.http.ProblemHandler;
import dev.referralledger.api.http.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps the response of the request that spent a key, and answers retries with it.
 *
 * <p>A retry that arrives while the first request is still finishing waits for its response (bounded);
 * if none comes it is told to retry shortly ({@code IDEMPOTENCY_KEY_IN_PROGRESS}).</p>
 */
@Component
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
public class IdempotentResponses extends OncePerRequestFilter {

    private final IdempotencyKeys keys;
    private final long waitMillis;

    /** A retry waits at least as long as the first request may wait for the pipeline, plus a margin. */
    public IdempotentResponses(IdempotencyKeys keys,
                               @Value("${ledger.read-your-writes-timeout:PT5S}") java.time.Duration readYourWritesTimeout) {
        this.keys = keys;
        this.waitMillis = Math.max(10_000, readYourWritesTimeout.toMillis() + 5_000);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, captured);
            // whatever the request that spent the key answered, its retries answer too
            if (request.getAttribute(IdempotencyKeys.SPENT) instanceof IdempotencyKeys.Spent spent) {
                keys.storeResponse(spent, captured.getStatus(), captured.getContentAsByteArray(),
                        captured.getHeader(HttpHeaders.LOCATION));
            }
        } finally {
            captured.copyBodyToResponse();
        }
    }

    @ExceptionHandler(IdempotentReplayException.class)
    ResponseEntity<?> replay(IdempotentReplayException e, HttpServletRequest request) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (true) {
            Optional<IdempotencyKeys.Outcome> outcome = keys.outcome(e.tenantId(), e.key());
            if (outcome.isPresent() && outcome.get().status() != null) {
                IdempotencyKeys.Outcome first = outcome.get();
                ResponseEntity.BodyBuilder replay = ResponseEntity.status(first.status())
                        .header(HttpHeaders.CONTENT_TYPE, first.status() >= 400
                                ? MediaType.APPLICATION_PROBLEM_JSON_VALUE : MediaType.APPLICATION_JSON_VALUE)
                        .header("Idempotent-Replayed", "true");
                if (first.location() != null) {
                    replay.header(HttpHeaders.LOCATION, first.location());
                }
                return replay.body(first.body());
            }
            if (System.currentTimeMillis() > deadline) {
                return ResponseEntity.status(409).header(HttpHeaders.RETRY_AFTER, "1")
                        .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                        .body(Problems.of(409, "IDEMPOTENCY_KEY_IN_PROGRESS", "Request in progress",
                                "The first request with this Idempotency-Key is still being answered; retry shortly.",
                                request));
            }
            Thread.sleep(20);
        }
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ResponseEntity<?> reused(IdempotencyKeyReusedException e, HttpServletRequest request) {
        return ProblemHandler.answer(Problems.of(422, e.code(), "Idempotency key reused", e.getMessage(), request));
    }
}
