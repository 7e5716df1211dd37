package dev.referralledger.api.tenant;

import dev.referralledger.api.config.LedgerProperties;
import dev.referralledger.api.http.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Authenticates {@code /api/v1/**} with a tenant's API key and {@code /admin/**} with the operator token,
 * both as {@code Authorization: Bearer ...}. Everything else (OpenAPI, health)
 * passes through.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class ApiKeyFilter extends OncePerRequestFilter {

    private final TenantDirectory tenants;
    private final LedgerProperties properties;

    public ApiKeyFilter(TenantDirectory tenants, LedgerProperties properties) {
        this.tenants = tenants;
        this.properties = properties;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if ("OPTIONS".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        if (path.startsWith("/admin/") || path.equals("/admin")) {
            if (!properties.adminEnabled()) {
                unauthorized(response, request, "The admin API is disabled: set LEDGER_ADMIN_TOKEN to enable it.");
                return;
            }
            String token = bearer(request);
            if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    properties.adminToken().getBytes(StandardCharsets.UTF_8))) {
                unauthorized(response, request, "A valid admin token is required.");
                return;
            }
        } else if (path.startsWith("/api/v1/")) {
            Optional<Caller> caller = tenants.authenticate(bearer(request));
            if (caller.isEmpty()) {
                unauthorized(response, request, "Invalid or missing API key.");
                return;
            }
            request.setAttribute(Caller.ATTRIBUTE, caller.get());
        }
        chain.doFilter(request, response);
    }

    private static String bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    private static void unauthorized(HttpServletResponse response, HttpServletRequest request, String detail)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        Problems.write(response, 401, "UNAUTHORIZED", "Unauthorized", detail, request);
    }
}
