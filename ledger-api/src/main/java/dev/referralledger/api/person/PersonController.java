package dev.referralledger.api.person;

import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.person.ErasePerson;
import dev.referralledger.core.person.Erasure;
import dev.referralledger.core.reward.RewardPolicySaga;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.projections.person.PersonQueries;
import dev.referralledger.projections.person.PersonView;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** People of the tenant: advocates and referred persons, with the referrals they made and received; erasure. */
@RestController
@RequestMapping("/api/v1/persons")
@Tag(name = "People", description = "Advocates and referred people, matched by email or phone")
public class PersonController {

    /** What an erasure did; {@code erasedNow} is false when the person had been erased before. */
    public record ErasureView(String personId, boolean erased, boolean erasedNow, int releasedLookups) {
    }

    private final QueryGateway queries;
    private final CommandGateway commands;

    public PersonController(QueryGateway queries, CommandGateway commands) {
        this.queries = queries;
        this.commands = commands;
    }

    /**
     * Erases the person's personal data: their key is destroyed in this request (every event holding their data
     * reads as "[erased]" from now on), their email, phone and external id lookups are released, and the
     * projections replace their details with the marker shortly after. Referrals, counts and rewards stay.
     */
    @PostMapping("/{id}/erase")
    public ErasureView erase(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                             @PathVariable String id) {
        ErasePerson command = new ErasePerson(id, caller.tenantId());
        Erasure erasure;
        try {
            erasure = commands.sendAndWait(command);
        } catch (RuntimeException e) {
            if (!RewardPolicySaga.isDuplicate(e)) {
                throw e;
            }
            // another first command of this person created its aggregate at the same time: this one now finds it
            erasure = commands.sendAndWait(command);
        }
        return new ErasureView(id, true, erasure.erasedNow(), erasure.releasedLookups());
    }

    @GetMapping("/{id}")
    public PersonView get(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                          @PathVariable String id) {
        PersonView view = queries.query(new PersonQueries.FindPerson(caller.tenantId(), id),
                ResponseTypes.instanceOf(PersonView.class)).join();
        if (view == null) {
            throw new NotFoundException("Person", id);
        }
        return view;
    }
}
