package dev.referralledger.api.audit;

import dev.referralledger.api.http.ProblemHandler;
import dev.referralledger.api.http.Problems;
import dev.referralledger.api.http.RequestBody;
import dev.referralledger.core.rules.InvalidCommandException;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Operator endpoints of the audit trail: verify, seal, export and import events. Admin token. */
@RestController
@RequestMapping("/admin")
@Tag(name = "Admin")
public class AuditController {

    /** The header naming where the next page starts (absent on the last page). */
    public static final String NEXT_FROM_POSITION = "Next-From-Position";

    private final LedgerVerification ledger;
    private final EventChainVerifier verifier;
    private final EventSealer sealer;
    private final EventExport export;
    private final EventImport importer;

    public AuditController(LedgerVerification ledger, EventChainVerifier verifier, EventSealer sealer, EventExport export,
                           EventImport importer) {
        this.ledger = ledger;
        this.verifier = verifier;
        this.sealer = sealer;
        this.export = export;
        this.importer = importer;
    }

    /** Everything an auditor can check, in one answer: the events' hash chains and checkpoints, the projections. */
    @PostMapping("/verify")
    public LedgerVerification.Report verifyAll() throws InterruptedException {
        return ledger.verify();
    }

    @PostMapping("/verify/events")
    public EventChainVerifier.Report verify() {
        return verifier.verify();
    }

    /** Seals now instead of waiting for the next scheduled run (a run seals the candidate the run before took). */
    @PostMapping("/events/seal")
    public EventSealer.Sealed seal() {
        return sealer.seal();
    }

    @GetMapping("/events")
    public ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) Long fromPosition,
                                    @RequestParam(required = false) Long toPosition,
                                    @RequestParam(required = false) String tenant,
                                    @RequestParam(required = false) String type,
                                    @RequestParam(required = false) Integer limit) {
        int size = limit == null ? EventExport.DEFAULT_LIMIT : limit;
        if (size < 1 || size > EventExport.MAX_LIMIT) {
            throw InvalidCommandException.of("limit", "OUT_OF_RANGE",
                    "limit must be between 1 and " + EventExport.MAX_LIMIT + ".");
        }
        EventExport.Filter filter = new EventExport.Filter(fromPosition, toPosition, blankToNull(tenant), blankToNull(type));
        Long next = export.nextFromPosition(filter, size);
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON);
        if (next != null) {
            String link = UriComponentsBuilder.fromPath("/admin/events").queryParam("fromPosition", next)
                    .queryParamIfPresent("toPosition", java.util.Optional.ofNullable(toPosition))
                    .queryParamIfPresent("tenant", java.util.Optional.ofNullable(filter.tenant()))
                    .queryParamIfPresent("type", java.util.Optional.ofNullable(filter.type()))
                    .queryParam("limit", size).encode().build().toUriString();
            answer.header(NEXT_FROM_POSITION, String.valueOf(next)).header(HttpHeaders.LINK, "<" + link + ">; rel=\"next\"");
        }
        StreamingResponseBody body = out -> export.write(filter, size, out);
        return answer.body(body);
    }

    @PostMapping("/events")
    public ResponseEntity<?> importEvents(HttpServletRequest request) throws IOException {
        try {
            return ResponseEntity.ok(importer.importEvents(request.getInputStream()));
        } catch (EventImport.Refused refused) {
            ProblemDetail problem = Problems.of(refused.status, refused.code, "Import refused", refused.getMessage(), request);
            if (refused.line > 0) {
                problem.setProperty("line", refused.line);
            }
            return ProblemHandler.answer(problem);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof RequestBody.TooLarge tooLarge) {
                return ProblemHandler.answer(Problems.of(413, "PAYLOAD_TOO_LARGE", "Payload too large",
                        tooLarge.getMessage() + " Nothing was imported.", request));
            }
            throw e;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
