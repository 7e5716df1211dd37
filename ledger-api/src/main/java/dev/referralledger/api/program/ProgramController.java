package dev.referralledger.api.program;

import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.program.CreateProgram;
import dev.referralledger.core.program.EndProgram;
import dev.referralledger.core.program.EnrollAdvocate;
import dev.referralledger.core.program.Enrolled;
import dev.referralledger.core.program.PauseProgram;
import dev.referralledger.core.program.ResumeProgram;
import dev.referralledger.core.program.UpdateProgram;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.rules.FieldViolation;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.projections.program.ProgramQueries;
import dev.referralledger.projections.program.ProgramView;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Programs (campaigns) and their advocates over REST. Writes answer the program as the read side shows it. */
@RestController
@RequestMapping("/api/v1/programs")
@Tag(name = "Programs", description = "Referral programs, their terms and status, and the advocates enrolled in them")
public class ProgramController {

    record Create(String name, String slug, List<String> allowedChannels, List<String> allowedTypes,
                  List<String> invitationTypes, Integer attributionWindowDays, Integer velocityLimitPerHour,
                  String landingUrl) {
    }

    record Update(String name, List<String> allowedChannels, List<String> allowedTypes, List<String> invitationTypes,
                  Integer attributionWindowDays, Integer velocityLimitPerHour, String landingUrl) {
    }

    record Enroll(String name, String email, String phone, String externalId, String role) {
    }

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ProgramQueries programs;

    public ProgramController(CommandGateway commands, QueryGateway queries, ProgramQueries programs) {
        this.commands = commands;
        this.queries = queries;
        this.programs = programs;
    }

    @PostMapping
    public ResponseEntity<ProgramView> create(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                              @RequestBody Create body) {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateProgram(id, caller.tenantId(), body.name(), body.slug(), body.allowedChannels(),
                body.allowedTypes(), body.invitationTypes(), body.attributionWindowDays(), body.velocityLimitPerHour(),
                body.landingUrl()));
        return ResponseEntity.created(URI.create("/api/v1/programs/" + id)).body(written(caller, id, 0));
    }

    @PatchMapping("/{id}")
    public ProgramView update(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                              @PathVariable String id, @RequestBody Update body) {
        Long version = commands.sendAndWait(new UpdateProgram(id, caller.tenantId(), body.name(), body.allowedChannels(),
                body.allowedTypes(), body.invitationTypes(), body.attributionWindowDays(), body.velocityLimitPerHour(),
                body.landingUrl()));
        return written(caller, id, version);
    }

    @PostMapping("/{id}/pause")
    public ProgramView pause(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                             @PathVariable String id) {
        return written(caller, id, commands.sendAndWait(new PauseProgram(id, caller.tenantId())));
    }

    @PostMapping("/{id}/resume")
    public ProgramView resume(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                              @PathVariable String id) {
        return written(caller, id, commands.sendAndWait(new ResumeProgram(id, caller.tenantId())));
    }

    @PostMapping("/{id}/end")
    public ProgramView end(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                           @PathVariable String id) {
        return written(caller, id, commands.sendAndWait(new EndProgram(id, caller.tenantId())));
    }

    @GetMapping("/{id}")
    public ProgramView get(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                           @PathVariable String id) {
        return read(caller, id);
    }

    @GetMapping
    public ProgramQueries.ProgramList list(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                           @RequestParam(required = false) String status) {
        return queries.query(new ProgramQueries.ListPrograms(caller.tenantId(),
                status == null ? null : status.trim().toUpperCase(Locale.ROOT)), ProgramQueries.ProgramList.class).join();
    }

    /**
     * Enrolls an advocate: 201 with their new referral code and share link, or 200 with the code they already
     * have when the same person (same email, phone or external id) is enrolled again.
     */
    @PostMapping("/{id}/advocates")
    public ResponseEntity<Enrolled> enroll(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                           @PathVariable String id, @RequestBody Enroll body) {
        Enrolled enrolled = commands.sendAndWait(new EnrollAdvocate(UUID.randomUUID().toString(), caller.tenantId(), id,
                new Advocate(body.name(), body.email(), body.phone(), body.externalId()), body.role()));
        if (enrolled.created()) {
            // so that the advocate list read right after shows them
            programs.awaitEnrollment(enrolled.enrollmentId());
        }
        return ResponseEntity.status(enrolled.created() ? HttpStatus.CREATED : HttpStatus.OK).body(enrolled);
    }

    @GetMapping("/{id}/advocates")
    public ProgramQueries.AdvocateList advocates(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                 @PathVariable String id,
                                                 @RequestParam(defaultValue = "100") int limit,
                                                 @RequestParam(defaultValue = "0") int offset) {
        read(caller, id);
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw new InvalidCommandException(List.of(new FieldViolation(limit < 1 || limit > 1000 ? "limit" : "offset",
                    "OUT_OF_RANGE", "limit must be 1 to 1000 and offset at least 0.")));
        }
        return queries.query(new ProgramQueries.ListProgramAdvocates(caller.tenantId(), id, limit, offset),
                ProgramQueries.AdvocateList.class).join();
    }

    /** The program once the read side shows event {@code version} (or as it is when that takes too long). */
    private ProgramView written(Caller caller, String id, long version) {
        programs.awaitVersion(id, version);
        return read(caller, id);
    }

    private ProgramView read(Caller caller, String id) {
        ProgramView view = queries.query(new ProgramQueries.FindProgram(caller.tenantId(), id),
                ResponseTypes.instanceOf(ProgramView.class)).join();
        if (view == null) {
            throw new NotFoundException("Program", id);
        }
        return view;
    }
}
