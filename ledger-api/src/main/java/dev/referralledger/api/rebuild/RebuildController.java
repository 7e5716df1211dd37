package dev.referralledger.api.rebuild;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operator endpoint: rebuild every projection from the events. Guarded by the admin token. */
@RestController
@RequestMapping("/admin/projections")
@Tag(name = "Admin")
public class RebuildController {

    private final ProjectionRebuild rebuild;

    public RebuildController(ProjectionRebuild rebuild) {
        this.rebuild = rebuild;
    }

    /** Answers when the rebuild is done: how many events were applied, in how long. */
    @PostMapping("/rebuild")
    public ProjectionRebuild.Result rebuild() throws InterruptedException {
        return rebuild.rebuild();
    }
}
