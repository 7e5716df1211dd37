package dev.referralledger.api.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.referralledger.api.http.AsOf;
import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.rules.FieldViolation;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.projections.report.AttributionReport;
import dev.referralledger.projections.report.AttributionRow;
import dev.referralledger.projections.report.AttributionRows;
import dev.referralledger.projections.report.FunnelReport;
import dev.referralledger.projections.report.FunnelRow;
import dev.referralledger.projections.report.FunnelRows;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reports over the projections. Dates are UTC days, {@code from} inclusive and {@code to} exclusive
 * ({@code from=2026-11-01&to=2026-12-01} is November); both optional. The figures follow the events within
 * moments: a report does not wait for the latest write.
 */
@RestController
@RequestMapping("/api/v1/reports")
@Tag(name = "Reports", description = "Attribution (revenue, reversals, reward cost) and the referral funnel")
public class ReportController {

    /** {@code asOf} is null for the report as of now. */
    public record Attribution(String groupBy, LocalDate from, LocalDate to, String currency,
                              List<AttributionRow> rows, @JsonInclude(JsonInclude.Include.NON_NULL) Instant asOf) {
    }

    public record Funnel(String groupBy, String programId, LocalDate from, LocalDate to,
                         List<FunnelRow> rows) {
    }

    private static final int MAX_ROWS = 1000;

    private final QueryGateway queries;

    public ReportController(QueryGateway queries) {
        this.queries = queries;
    }

    /** Per group and currency (never converted): revenue, reversed and net revenue, conversions, reward cost. */
    @GetMapping("/attribution")
    public Attribution attribution(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                   @Parameter(description = "advocate, program, channel or agent")
                                   @RequestParam(required = false) String groupBy,
                                   @RequestParam(required = false) String from,
                                   @RequestParam(required = false) String to,
                                   @RequestParam(required = false) String currency,
                                   @RequestParam(required = false) String limit,
                                   @Parameter(description = "an instant: only what was recorded by then")
                                   @RequestParam(required = false) String asOf) {
        Instant knownAt = asOf == null ? null : AsOf.parse(asOf);
        List<FieldViolation> violations = new ArrayList<>();
        AttributionReport.Dimension dimension = choice(AttributionReport.Dimension.class, "groupBy", groupBy,
                violations);
        LocalDate fromDay = day("from", from, violations);
        LocalDate toDay = day("to", to, violations);
        range(fromDay, toDay, violations);
        String code = currency(currency, violations);
        int rows = limit(limit, violations);
        refuse(violations);
        AttributionRows answer = queries.query(new AttributionReport(caller.tenantId(), dimension, fromDay, toDay,
                code, rows, knownAt), AttributionRows.class).join();
        return new Attribution(lower(dimension), fromDay, toDay, code, answer.rows(), knownAt);
    }

    /** Impressions → referrals → contacted → qualified → converted, with the rate of each step. */
    @GetMapping("/funnel")
    public Funnel funnel(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                         @Parameter(description = "program, advocate or channel")
                         @RequestParam(required = false) String groupBy,
                         @RequestParam(required = false) String programId,
                         @RequestParam(required = false) String from,
                         @RequestParam(required = false) String to,
                         @RequestParam(required = false) String limit) {
        List<FieldViolation> violations = new ArrayList<>();
        FunnelReport.Dimension dimension = choice(FunnelReport.Dimension.class, "groupBy", groupBy, violations);
        LocalDate fromDay = day("from", from, violations);
        LocalDate toDay = day("to", to, violations);
        range(fromDay, toDay, violations);
        int rows = limit(limit, violations);
        refuse(violations);
        String program = programId == null || programId.isBlank() ? null : programId.trim();
        FunnelRows answer = queries.query(new FunnelReport(caller.tenantId(), dimension, program, fromDay, toDay,
                rows), FunnelRows.class).join();
        return new Funnel(lower(dimension), program, fromDay, toDay, answer.rows());
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String field, String value,
                                                List<FieldViolation> violations) {
        String allowed = Arrays.stream(type.getEnumConstants()).map(ReportController::lower)
                .collect(Collectors.joining(", "));
        if (value == null || value.isBlank()) {
            violations.add(new FieldViolation(field, "REQUIRED", field + " is required: one of " + allowed + "."));
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        violations.add(new FieldViolation(field, "INVALID_VALUE", field + " must be one of " + allowed + "."));
        return null;
    }

    private static LocalDate day(String field, String value, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(field, "INVALID_DATE", field + " must be a date like 2026-11-01."));
            return null;
        }
    }

    private static void range(LocalDate from, LocalDate to, List<FieldViolation> violations) {
        if (from != null && to != null && !to.isAfter(from)) {
            violations.add(new FieldViolation("to", "INVALID_RANGE",
                    "to must be after from (from is inclusive, to exclusive)."));
        }
    }

    private static String currency(String value, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String code = value.trim().toUpperCase(Locale.ROOT);
        if (!code.matches("[A-Z]{3}")) {
            violations.add(new FieldViolation("currency", "INVALID_CURRENCY",
                    "currency must be an ISO 4217 code such as USD."));
            return null;
        }
        return code;
    }

    private static int limit(String value, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_ROWS) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        violations.add(new FieldViolation("limit", "OUT_OF_RANGE", "limit must be between 1 and " + MAX_ROWS + "."));
        return 0;
    }

    private static void refuse(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new InvalidCommandException(violations);
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
