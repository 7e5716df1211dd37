package dev.referralledger.api.reward;

import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.program.SetRewardPolicy;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.projections.reward.FindRewardPolicy;
import dev.referralledger.projections.reward.RewardPolicyView;
import dev.referralledger.projections.reward.RewardQueries;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** A program's reward policy: set (a new version when it changes) and read. */
@RestController
@RequestMapping("/api/v1/programs/{id}/reward-policy")
@Tag(name = "Programs")
public class RewardPolicyController {

    record Policy(SetRewardPolicy.Rule referrer, SetRewardPolicy.Rule referred, List<SetRewardPolicy.Milestone> milestones) {
    }

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final RewardQueries rewards;

    public RewardPolicyController(CommandGateway commands, QueryGateway queries, RewardQueries rewards) {
        this.commands = commands;
        this.queries = queries;
        this.rewards = rewards;
    }

    /** Answers the policy as it now applies, with its version. */
    @PutMapping
    public RewardPolicyView set(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                @PathVariable String id, @RequestBody Policy body) {
        Long version = commands.sendAndWait(new SetRewardPolicy(id, caller.tenantId(), body.referrer(), body.referred(),
                body.milestones()));
        rewards.awaitPolicy(id, version);
        return get(caller, id);
    }

    @GetMapping
    public RewardPolicyView get(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                @PathVariable String id) {
        RewardPolicyView view = queries.query(new FindRewardPolicy(caller.tenantId(), id),
                ResponseTypes.instanceOf(RewardPolicyView.class)).join();
        if (view == null) {
            throw new NotFoundException("Reward policy of program", id);
        }
        return view;
    }
}
