package dev.referralledger.core.person;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PeopleTest {

    private final InMemoryLookups lookups = new InMemoryLookups();

    private String ownerOf(LookupKind kind, String key) {
        return lookups.find("t1", kind, key).map(Lookups.Entry::ownerId).orElse(null);
    }

    @Test
    void aNewPersonGetsEveryIdentifierAndIsFoundByAnyOfThemLater() {
        People.Resolved ann = People.resolve(lookups, "t1", "ann@example.com", "+14155550100", "crm-7");

        assertThat(ann.isNew()).isTrue();
        assertThat(ownerOf(LookupKind.PERSON_EMAIL, "ann@example.com")).isEqualTo(ann.personId());
        assertThat(ownerOf(LookupKind.PERSON_PHONE, "+14155550100")).isEqualTo(ann.personId());
        assertThat(ownerOf(LookupKind.PERSON_EXTERNAL_ID, "crm-7")).isEqualTo(ann.personId());
        People.Resolved byPhone = People.resolve(lookups, "t1", null, "+14155550100", null);
        assertThat(byPhone).isEqualTo(new People.Resolved(ann.personId(), false));
    }

    @Test
    void theFirstIdentifierDecidesAndAnotherPersonsPhoneStaysTheirs() {
        People.Resolved bob = People.resolve(lookups, "t1", "bob@example.com", "+14155550101", null);

        // a new email with Bob's phone: a new person (email comes first), Bob keeps his phone
        People.Resolved carol = People.resolve(lookups, "t1", "carol@example.com", "+14155550101", null);

        assertThat(carol.isNew()).isTrue();
        assertThat(carol.personId()).isNotEqualTo(bob.personId());
        assertThat(ownerOf(LookupKind.PERSON_PHONE, "+14155550101")).isEqualTo(bob.personId());
        // a known email with a new phone: the phone is claimed for that person
        People.Resolved bobAgain = People.resolve(lookups, "t1", "bob@example.com", "+14155550199", null);
        assertThat(bobAgain).isEqualTo(new People.Resolved(bob.personId(), false));
        assertThat(ownerOf(LookupKind.PERSON_PHONE, "+14155550199")).isEqualTo(bob.personId());
    }

    @Test
    void twoIdentitiesOfOneCommandSharingAnIdentifierAreOnePerson() {
        List<People.Resolved> both = People.resolve(lookups, "t1",
                new People.Identity("dan@example.com", null, null),
                new People.Identity("dan@example.com", "+14155550102", null));

        assertThat(both.get(0).isNew()).isTrue();
        assertThat(both.get(1)).isEqualTo(new People.Resolved(both.get(0).personId(), false));
        assertThat(ownerOf(LookupKind.PERSON_PHONE, "+14155550102")).isEqualTo(both.get(0).personId());
    }

    @Test
    void anIdentityWithoutIdentifiersResolvesToNothing() {
        List<People.Resolved> resolved = People.resolve(lookups, "t1", null,
                new People.Identity(null, null, null), new People.Identity("eve@example.com", null, null));

        assertThat(resolved.get(0)).isNull();
        assertThat(resolved.get(1)).isNull();
        assertThat(resolved.get(2).isNew()).isTrue();
    }

    @Test
    void everyIdentifierIsReadInOneCallAndTheFreeOnesClaimedInOne() {
        List<String> calls = new ArrayList<>();
        InMemoryLookups counting = new InMemoryLookups() {
            @Override
            public List<Entry> findAll(String tenantId, List<Key> keys) {
                calls.add("findAll " + keys.size());
                return super.findAll(tenantId, keys);
            }

            @Override
            public List<Entry> claimAll(String tenantId, List<Claim> claims) {
                calls.add("claimAll " + claims.size());
                return super.claimAll(tenantId, claims);
            }
        };

        People.resolve(counting, "t1", "fay@example.com", null, null);
        calls.clear();

        People.resolve(counting, "t1", new People.Identity("fay@example.com", null, null),
                new People.Identity("gus@example.com", "+14155550103", null));

        assertThat(calls).containsExactly("findAll 3", "claimAll 2");
    }

    @Test
    void aPersonWhoseDecidingIdentifierAnotherCommandClaimedFirstIsThatPersonWithTheirNewIdentifiers() {
        // what a database answers when a concurrent command claimed the email between the read and the claim
        InMemoryLookups racing = new InMemoryLookups() {
            @Override
            public List<Entry> claimAll(String tenantId, List<Claim> claims) {
                put(tenantId, LookupKind.PERSON_EMAIL, "hal@example.com", "person-of-the-other-command", null, null);
                return super.claimAll(tenantId, claims);
            }
        };

        People.Resolved hal = People.resolve(racing, "t1", "hal@example.com", "+14155550104", null);

        assertThat(hal).isEqualTo(new People.Resolved("person-of-the-other-command", false));
        assertThat(racing.find("t1", LookupKind.PERSON_PHONE, "+14155550104").map(Lookups.Entry::ownerId))
                .contains("person-of-the-other-command");
    }
}
