package dev.referralledger.api.person;

import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.projections.person.PersonQueries;
import dev.referralledger.projections.person.PersonView;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** People of the tenant: advocates and referred persons, with the referrals they made and received. */
@RestController
@RequestMapping("/api/v1/persons")
@Tag(name = "People", description = "Advocates and referred people, matched by email or phone")
public class PersonController {

    private final QueryGateway queries;

    public PersonController(QueryGateway queries) {
        this.queries = queries;
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
