package dev.referralledger.core.agent;

import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.CreateReferral;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.FieldViolation;
import dev.referralledger.core.rules.InvalidCommandException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The public form's own rules, before the referral's: who is credited, how the referred person is reached. */
class PublicReferralFormTest {

    private static final FieldRules RULES = new FieldRules(null);
    private static final AgentSlugs.PublicAgent AGENT = new AgentSlugs.PublicAgent("agent-1", "tenant-a");

    private static PublicReferralForm form(String referrerEmail, String referredName, String referredEmail,
                                           String referredPhone, String channel) {
        return new PublicReferralForm("Pat Jones", referrerEmail, referredName, referredEmail, referredPhone,
                "Sam is selling their condo.", channel);
    }

    private static List<String> refusal(PublicReferralForm form) {
        try {
            form.toCommand("ref-1", AGENT, RULES);
        } catch (InvalidCommandException e) {
            return e.violations().stream().map(x -> x.field() + ":" + x.code()).toList();
        }
        throw new AssertionError("the form was accepted");
    }

    @Test
    void aFilledInFormBecomesAReferralToTheAgentInTheAgentsTenant() {
        CreateReferral cmd = form("pat@example.com", " Sam  van der Lee ", "sam@example.com", "+1 415 555 2671", null)
                .toCommand("ref-1", AGENT, RULES);
        assertThat(cmd).isEqualTo(CreateReferral.direct("ref-1", "tenant-a",
                new Advocate("Pat Jones", "pat@example.com", null, null),
                new ReferredPerson("Sam", "van der Lee", "sam@example.com", "+14155552671"),
                "agent-1", "PUBLIC_PROFILE", "Sam is selling their condo."));
    }

    @Test
    void theWidgetSaysSoAndAOneWordNameHasNoLastName() {
        CreateReferral cmd = form("pat@example.com", "Sam", null, "+14155552671", "widget").toCommand("ref-1", AGENT, RULES);
        assertThat(cmd.channel()).isEqualTo("WIDGET");
        assertThat(cmd.referred()).isEqualTo(new ReferredPerson("Sam", null, null, "+14155552671"));
    }

    @Test
    void theReferrerMustLeaveAnEmailAndTheReferredANameAndAWayToReachThem() {
        assertThat(refusal(form(" ", null, null, null, null)))
                .containsExactly("referrerEmail:REQUIRED", "referredName:REQUIRED", "referredEmail:REQUIRED");
    }

    @Test
    void malformedFieldsAreNamedAsTheFormNamesThem() {
        assertThat(refusal(new PublicReferralForm("p".repeat(201), "pat-at-example", "Sam", "sam@", "555",
                "n".repeat(2001), "MANUAL")))
                .containsExactly("referrerName:TOO_LONG", "referrerEmail:INVALID_EMAIL", "referredEmail:INVALID_EMAIL",
                        "referredPhone:INVALID_PHONE", "notes:TOO_LONG", "channel:UNKNOWN_CHANNEL");
    }

    @Test
    void eachPartOfTheReferredNameIsBounded() {
        assertThat(refusal(form("pat@example.com", "S".repeat(201) + " Lee", "sam@example.com", null, null)))
                .containsExactly("referredName:TOO_LONG");
        assertThat(refusal(form("pat@example.com", "S".repeat(402), "sam@example.com", null, null)))
                .containsExactly("referredName:TOO_LONG");
    }

    @Test
    void nulCharactersAreRefusedNotStored() {
        assertThat(refusal(form("pat@example.com", "Sam\u0000", "sam@example.com", null, null)))
                .containsExactly("referredName:INVALID_CHARACTERS");
    }

    @Test
    void theReferralsOwnRefusalsAreRenamedToTheFormsFields() {
        InvalidCommandException renamed = PublicReferralForm.inFormTerms(new InvalidCommandException(List.of(
                new FieldViolation("referrer.email", "INVALID_EMAIL", "m"),
                new FieldViolation("referred.lastName", "TOO_LONG", "m"),
                new FieldViolation("referred.phone", "INVALID_PHONE", "m"),
                new FieldViolation("notes", "TOO_LONG", "m"))));
        assertThat(renamed.violations()).extracting(FieldViolation::field)
                .containsExactly("referrerEmail", "referredName", "referredPhone", "notes");
    }

    @Test
    void scriptIsJustText() {
        String script = "<script>alert('x')</script>";
        CreateReferral cmd = new PublicReferralForm(script, "pat@example.com", script + " Lee", "sam@example.com",
                null, script, null).toCommand("ref-1", AGENT, RULES);
        assertThat(cmd.referrer().name()).isEqualTo(script);
        assertThat(cmd.notes()).isEqualTo(script);
        assertThat(cmd.referred().firstName()).isEqualTo("<script>alert('x')</script>");
    }
}
