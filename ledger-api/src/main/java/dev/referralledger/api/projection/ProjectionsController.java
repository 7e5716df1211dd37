package dev.referralledger.api.projection;

import dev.referralledger.core.rules.ConflictException;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Operator endpoints for the projections: status, rebuild without downtime, verification. Admin token only. */
@RestController
@RequestMapping("/admin")
@Tag(name = "Admin")
public class ProjectionsController {

    private final ProjectionStatus status;
    private final ProjectionRebuild rebuild;
    private final ProjectionVerification verification;

    public ProjectionsController(ProjectionStatus status, ProjectionRebuild rebuild, ProjectionVerification verification) {
        this.status = status;
        this.rebuild = rebuild;
        this.verification = verification;
    }

    @GetMapping("/projections")
    public ProjectionStatus.Overview projections() {
        return status.overview();
    }

    @GetMapping("/projections/{name}")
    public ProjectionStatus.View projection(@PathVariable String name) {
        return status.view(name);
    }

    /** Rebuilds every projection in one pass over the events; answers when the switch is done. */
    @PostMapping("/projections/rebuild")
    public ProjectionRebuild.Result rebuildAll() throws InterruptedException {
        return rebuild.rebuildAll();
    }

    /**
     * Rebuilds one projection. Answers 202 at once (progress in {@code GET /admin/projections/{name}}), or with
     * {@code wait=true} 200 and the outcome once the switch is done.
     */
    @PostMapping("/projections/{name}/rebuild")
    public ResponseEntity<?> rebuild(@PathVariable String name, @RequestParam(defaultValue = "false") boolean wait)
            throws InterruptedException {
        ProjectionStatus.View view = status.view(name);
        if (!view.kind().equals("PROJECTION")) {
            throw new ConflictException("PROJECTION_NOT_REBUILDABLE",
                    "'" + name + "' is a saga: it sends commands, so it is never replayed.", Map.of("projection", name));
        }
        if (wait) {
            return ResponseEntity.ok(rebuild.rebuild(List.of(name)));
        }
        rebuild.startInBackground(List.of(name));
        return ResponseEntity.accepted().location(URI.create("/admin/projections/" + name)).body(status.view(name));
    }

    /** Recomputes every projection into scratch tables and reports the rows that differ from the live ones. */
    @PostMapping("/verify/projections")
    public ProjectionVerification.Report verifyProjections() throws InterruptedException {
        return verification.verify();
    }
}
