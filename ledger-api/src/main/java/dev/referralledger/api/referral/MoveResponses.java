package dev.referralledger.api.referral;

import dev.referralledger.projections.referral.ReferralView;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The OpenAPI answers of a pipeline move: the referral after it, or 202 when the pipeline lags. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(responseCode = "200", description = "The referral as the pipeline shows it after the move",
        content = @Content(schema = @Schema(implementation = ReferralView.class)))
@ApiResponse(responseCode = "202", description = "Stored; the pipeline did not show it within the read-your-writes timeout",
        content = @Content(schema = @Schema(implementation = dev.referralledger.api.http.Accepted.class)))
@interface MoveResponses {
}
