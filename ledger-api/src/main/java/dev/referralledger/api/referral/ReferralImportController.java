package dev.referralledger.api.referral;

import dev.referralledger.api.http.ProblemHandler;
import dev.referralledger.api.http.Problems;
import dev.referralledger.api.http.RequestBody;
import dev.referralledger.api.http.RequestIds;
import dev.referralledger.api.tenant.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * {@code POST /api/v1/referrals/import}: up to 10,000 referrals as a JSON array or as NDJSON, each with its own
 * idempotency key and its own result. The body is read whole (it has a limit of its own) and split before
 * anything is imported, so a body that cannot be read is refused without a trace.
 */
@RestController
@Tag(name = "Referrals")
public class ReferralImportController {


    private final ReferralImport importer;

    public ReferralImportController(ReferralImport importer) {
        this.importer = importer;
    }

    @PostMapping(RequestIds.IMPORT_PATH)
    @Operation(summary = "Import referrals in bulk", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            description = "Referrals shaped like POST /api/v1/referrals, each with its own idempotencyKey; channel is IMPORT",
            content = {@Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = ReferralRequests.Create.class))),
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(implementation = ReferralRequests.Create.class))}))
    @ApiResponse(responseCode = "200", description = "Every item was handled: one result each",
            content = @Content(schema = @Schema(implementation = ReferralImport.ImportReport.class)))
    public ResponseEntity<?> importReferrals(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                             HttpServletRequest request) throws IOException {
        ImportBody.Format format = formatOf(request.getContentType());
        if (format == null) {
            return ProblemHandler.answer(Problems.of(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type",
                    "Send a JSON array as application/json, or one referral per line as application/x-ndjson.", request));
        }
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (RequestBody.TooLarge e) {
            return ProblemHandler.answer(Problems.of(413, "PAYLOAD_TOO_LARGE", "Payload too large", e.getMessage(), request));
        }
        try {
            return ResponseEntity.ok(importer.run(caller, format, body, request));
        } catch (ImportBody.Refused refused) {
            return refused.field != null ? ProblemHandler.field(request, refused.field, refused.code, refused.getMessage())
                    : ProblemHandler.answer(Problems.of(400, refused.code, "Import refused", refused.getMessage(), request));
        }
    }

    private static ImportBody.Format formatOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (type.isCompatibleWith(MediaType.APPLICATION_NDJSON)) {
                return ImportBody.Format.NDJSON;
            }
            return type.isCompatibleWith(MediaType.APPLICATION_JSON) ? ImportBody.Format.JSON_ARRAY : null;
        } catch (InvalidMediaTypeException e) {
            return null;
        }
    }
}
