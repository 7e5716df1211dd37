package dev.referralledger.core.referral;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.Money;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Shared inputs for the referral fixture tests. */
public final class ReferralFixtures {

    static final String ID = "ref-1";
    static final String TENANT = "tenant-a";
    static final String PAT_ID = "person-pat";
    static final String SAM_ID = "person-sam";

    private ReferralFixtures() {
    }

    static CreateReferral create() {
        return new CreateReferral(ID, TENANT,
                new Advocate(" Pat Jones ", "PAT@Example.com ", null, null),
                new ReferredPerson("Sam", "Lee", "sam@example.com", "+1 415 555 2671"),
                List.of(new Contact("John", "john@example.com", null, true)),
                "agent-7", "public_profile", "purchase_property_closing", "Selling a condo",
                new BigDecimal("50000"), "usd", Map.of("campaign", "spring"), null, null, null, null, null);
    }

    static ReferralReceived received() {
        return new ReferralReceived(ID, TENANT,
                new Advocate("Pat Jones", "pat@example.com", null, null),
                new ReferredPerson("Sam", "Lee", "sam@example.com", "+14155552671"),
                List.of(new Contact("John", "john@example.com", null, true)),
                "agent-7", Channel.PUBLIC_PROFILE, "PURCHASE_PROPERTY_CLOSING", "Selling a condo",
                new Money(new BigDecimal("50000.00"), "USD"), Map.of("campaign", "spring"),
                null, PAT_ID, SAM_ID, null, null, null, null, null, null);
    }

    /** Lookups where Pat and Sam are known people, so that resolved person ids are predictable. */
    static InMemoryLookups knownPeople() {
        InMemoryLookups lookups = new InMemoryLookups();
        lookups.put(TENANT, LookupKind.PERSON_EMAIL, "pat@example.com", PAT_ID, null, null);
        lookups.put(TENANT, LookupKind.PERSON_EMAIL, "sam@example.com", SAM_ID, null, null);
        return lookups;
    }

    /** Matches an {@link InvalidCommandException} that names exactly these field:code pairs. */
    public static Matcher<Throwable> violations(String... fieldCodes) {
        List<String> expected = List.of(fieldCodes);
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable item) {
                return item instanceof InvalidCommandException e && actual(e).equals(expected);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("violations ").appendValue(expected);
            }

            @Override
            protected void describeMismatchSafely(Throwable item, Description mismatch) {
                mismatch.appendText(item instanceof InvalidCommandException e ? actual(e).toString() : item.toString());
            }

            private List<String> actual(InvalidCommandException e) {
                return e.violations().stream().map(x -> x.field() + ":" + x.code()).collect(Collectors.toList());
            }
        };
    }
}
