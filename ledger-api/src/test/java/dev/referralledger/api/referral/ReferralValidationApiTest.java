package dev.referralledger.api.referral;

import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every validation code over HTTP: 400 problem+json naming each failing field, and nothing written. */
class ReferralValidationApiTest extends ApiTestSupport {

    private static final String PAT = "\"referrer\":{\"email\":\"pat@example.com\"}";
    private static final String SAM = "\"referred\":{\"firstName\":\"Sam\"}";

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("{}", List.of("referrer:REQUIRED", "referred:REQUIRED")),
                Arguments.of("{\"referrer\":{\"email\":\"pat-at-example\"}," + SAM + "}", List.of("referrer.email:INVALID_EMAIL")),
                Arguments.of("{" + PAT + ",\"referred\":{\"firstName\":\"Sam\",\"phone\":\"555\"}}", List.of("referred.phone:INVALID_PHONE")),
                Arguments.of("{" + PAT + "," + SAM + ",\"notes\":\"" + "n".repeat(2001) + "\"}", List.of("notes:TOO_LONG")),
                Arguments.of("{" + PAT + "," + SAM + ",\"expectedValue\":-1,\"currency\":\"USD\"}", List.of("expectedValue:NEGATIVE_VALUE")),
                Arguments.of("{" + PAT + "," + SAM + ",\"expectedValue\":1,\"currency\":\"XXQ\"}", List.of("currency:INVALID_CURRENCY")),
                Arguments.of("{" + PAT + "," + SAM + ",\"channel\":\"FAX\"}", List.of("channel:UNKNOWN_CHANNEL")),
                Arguments.of("{" + PAT + "," + SAM + ",\"contacts\":[{\"email\":\"a@x.io\",\"primary\":true},{\"email\":\"b@x.io\",\"primary\":true}]}",
                        List.of("contacts[1].primary:MULTIPLE_PRIMARY_CONTACTS")),
                Arguments.of("{" + PAT + "," + SAM + ",\"contacts\":[{\"email\":\"a@x.io\"},{\"email\":\"A@x.io\"}]}",
                        List.of("contacts[1].email:DUPLICATE_CONTACT_EMAIL")),
                Arguments.of("{" + PAT + "," + SAM + ",\"metadata\":{\"blob\":\"" + "x".repeat(8200) + "\"}}", List.of("metadata:TOO_LARGE")),
                Arguments.of("{" + PAT + "," + SAM + ",\"typo\":1}", List.of("typo:UNKNOWN_FIELD")),
                Arguments.of("{" + PAT + ",\"referred\":{\"firstName\":\"Sam\",\"nickname\":\"S\"}}", List.of("referred.nickname:UNKNOWN_FIELD")),
                Arguments.of("{" + PAT + "," + SAM + ",\"expectedValue\":\"lots\"}", List.of("expectedValue:INVALID_FORMAT")),
                Arguments.of("{\"referrer\":{\"email\":\"bad\"},\"referred\":{\"email\":\"also bad\"},\"channel\":\"x\",\"expectedValue\":-3}",
                        List.of("referrer.email:INVALID_EMAIL", "referred.firstName:REQUIRED", "referred.email:INVALID_EMAIL",
                                "channel:UNKNOWN_CHANNEL", "expectedValue:NEGATIVE_VALUE", "currency:REQUIRED")));
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void invalidInputIsRefusedFieldByField(String body, List<String> expected) {
        Client api = newTenant();
        Answer answer = api.post("/api/v1/referrals", body);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(answer.errors()).containsExactlyElementsOf(expected);
        assertThat(api.get("/api/v1/referrals").json().path("items")).isEmpty();
    }

    @Test
    void valuesThePipelineCannotStoreAreRefused() {
        Answer answer = newTenant().post("/api/v1/referrals", "{" + PAT + "," + SAM
                + ",\"notes\":\"a\\u0000b\",\"expectedValue\":100000000000000000000,\"currency\":\"USD\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors()).containsExactly("notes:INVALID_CHARACTERS", "expectedValue:TOO_LARGE");
    }

    @Test
    void anAcceptHeaderWithoutJsonIs406AndWritesNothing() {
        Client api = newTenant();
        Answer answer = api.post("/api/v1/referrals", referralBody("sam@example.com"), "Accept", "application/xml");
        assertThat(answer.status()).isEqualTo(406);
        assertThat(answer.json().path("code").asText()).isEqualTo("NOT_ACCEPTABLE");
        assertThat(api.get("/api/v1/referrals").json().path("items")).isEmpty();
    }

    @Test
    void queryParametersWithNulAre400NotErrors() {
        Answer answer = newTenant().get("/api/v1/referrals?agentId=a%00b");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("detail").asText()).contains("agentId");
    }

    @Test
    void anAcceptWithJsonAtQualityZeroIs406() {
        Answer answer = newTenant().get("/api/v1/referrals", "Accept", "application/json;q=0, application/xml");
        assertThat(answer.status()).isEqualTo(406);
    }

    @Test
    void theOpenApiDescriptionNamesTheAnswersAndTheBearerScheme() {
        Answer docs = anonymous().get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        var create = docs.json().path("paths").path("/api/v1/referrals").path("post").path("responses");
        assertThat(create.has("201")).isTrue();
        assertThat(create.has("202")).isTrue();
        var contact = docs.json().path("paths").path("/api/v1/referrals/{id}/contact").path("post").path("responses");
        assertThat(contact.path("200").toString()).contains("ReferralView");
        assertThat(docs.json().path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                .isEqualTo("bearer");
        assertThat(anonymous().get("/actuator/health", "Accept", "application/xml").status()).isEqualTo(406);
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() {
        Answer answer = newTenant().post("/api/v1/referrals", "[]");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("detail").asText()).isEqualTo("The body must be a JSON object.");
    }

    @Test
    void malformedJsonIs400() {
        Answer answer = newTenant().post("/api/v1/referrals", "{\"referrer\":");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("code").asText()).isEqualTo("MALFORMED_JSON");
    }

    @Test
    void bodiesOverOneMegabyteAre413() {
        String huge = "{\"notes\":\"" + "x".repeat(1_100_000) + "\"}";
        Answer answer = newTenant().post("/api/v1/referrals", huge);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }
}
