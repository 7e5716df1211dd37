package dev.referralledger.api.reward;

import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.person.RecordConsent;
import dev.referralledger.core.reward.RewardPolicySaga;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;

/**
 * A person's consent to be contacted per channel (EMAIL, SMS), read when a reward is sent to decide whether
 * the recipient is thanked. Answered from the command itself: the consent is in effect once this returns.
 */
@RestController
@Tag(name = "People")
public class ConsentController {

    public record ConsentView(String personId, String channel, boolean granted, long version) {
    }

    private final CommandGateway commands;

    public ConsentController(CommandGateway commands) {
        this.commands = commands;
    }

    @PutMapping("/api/v1/persons/{id}/consents/{channel}")
    public ConsentView set(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                           @PathVariable String id, @PathVariable String channel,
                           @RequestBody RewardRequests.Consent body) {
        RecordConsent command = new RecordConsent(id, caller.tenantId(), channel, body.granted());
        Object version;
        try {
            version = commands.sendAndWait(command);
        } catch (RuntimeException e) {
            if (!RewardPolicySaga.isDuplicate(e)) {
                throw e;
            }
            // two first consents of a person at once both created its aggregate: this one now finds it
            version = commands.sendAndWait(command);
        }
        return new ConsentView(id, channel.trim().toUpperCase(Locale.ROOT), body.granted(),
                version instanceof Long l ? l : -1);
    }
}
