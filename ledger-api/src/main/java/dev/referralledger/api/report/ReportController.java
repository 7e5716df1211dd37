package dev.referralledger.api.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.referralledger.api.http.AsOf;
import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.program.SetRewardPolicy;
import dev.referralledger.core.reward.RewardPolicy;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.FieldViolation;
import dev.referralledger.core.rules.Violations;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.projections.report.AttributionReport;
import dev.referralledger.projections.report.AttributionRow;
import dev.referralledger.projections.report.AttributionRows;
import dev.referralledger.projections.report.FunnelReport;
import dev.referralledger.projections.report.FunnelRow;
import dev.referralledger.projections.report.FunnelRows;
import dev.referralledger.projections.report.WhatIfReport;
import dev.referralledger.projections.report.WhatIfResult;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
@Tag(name = "Reports", description = "Attribution (revenue, reversals, reward cost), the referral funnel, what-if")
public class ReportController {

    /** {@code asOf} is null for the report as of now. */
    public record Attribution(String groupBy, LocalDate from, LocalDate to, String currency,
                              List<AttributionRow> rows, @JsonInclude(JsonInclude.Include.NON_NULL) Instant asOf) {
    }

    public record Funnel(String groupBy, String programId, LocalDate from, LocalDate to,
                         List<FunnelRow> rows) {
    }

    /**
     * POST /what-if: a period (instants or UTC days; {@code from} inclusive, open when absent; {@code to} exclusive,
     * now when absent), optionally one program, and what to change: {@code attribution} FIRST_TOUCH or LAST_TOUCH
     * (null: the ledger's credit), {@code rewardPolicy} as for PUT /programs/{id}/reward-policy (null: the rewards
     * issued).
     */
    public record WhatIf(String from, String to, String programId, String attribution, Policy rewardPolicy) {
    }

    public record Policy(SetRewardPolicy.Rule referrer, SetRewardPolicy.Rule referred,
                         List<SetRewardPolicy.Milestone> milestones) {
    }

    private static final int MAX_ROWS = 1000;

    private final QueryGateway queries;
    private final FieldRules rules;

    public ReportController(QueryGateway queries, FieldRules rules) {
        this.queries = queries;
        this.rules = rules;
    }

    /**
     * Recomputes the period's conversions under another attribution rule and/or reward policy, from the events,
     * writing nothing: per advocate and currency, what happened, what would have, and the difference.
     */
    @PostMapping("/what-if")
    public WhatIfResult whatIf(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                               @RequestBody(required = false) WhatIf body) {
        WhatIf in = body == null ? new WhatIf(null, null, null, null, null) : body;
        List<FieldViolation> violations = new ArrayList<>();
        Instant from = instant("from", in.from(), violations);
        Instant to = in.to() == null || in.to().isBlank() ? Instant.now() : instant("to", in.to(), violations);
        if (from != null && to != null && !to.isAfter(from)) {
            violations.add(new FieldViolation("to", "INVALID_RANGE", "to must be after from (from is inclusive, to exclusive)."));
        }
        WhatIfReport.Attribution rule = null;
        if (in.attribution() != null && !in.attribution().isBlank()) {
            rule = choice(WhatIfReport.Attribution.class, "attribution", in.attribution(), violations);
        }
        Violations policyViolations = new Violations();
        RewardPolicy policy = in.rewardPolicy() == null ? null : RewardPolicy.validate(policyViolations, rules,
                "rewardPolicy.", in.rewardPolicy().referrer(), in.rewardPolicy().referred(),
                in.rewardPolicy().milestones());
        violations.addAll(policyViolations.list());
        refuse(violations);
        String program = in.programId() == null || in.programId().isBlank() ? null : in.programId().trim();
        return queries.query(new WhatIfReport(caller.tenantId(), from, to, program, rule, policy), WhatIfResult.class)
                .join();
    }

    /** An ISO-8601 instant, or a UTC day (its start). */
    private static Instant instant(String field, String value, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(value.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDay) {
                violations.add(new FieldViolation(field, "INVALID_INSTANT",
                        field + " must be an instant like 2026-11-01T00:00:00Z or a day like 2026-11-01."));
                return null;
            }
        }
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
