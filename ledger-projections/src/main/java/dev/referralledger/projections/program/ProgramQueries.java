package dev.referralledger.projections.program;

import dev.referralledger.projections.TenantRow;
import dev.referralledger.projections.AppliedPositions;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Reads {@code program} and {@code program_advocate} for the API. */
@Component
public class ProgramQueries {

    public record FindProgram(String tenantId, String programId) {
    }

    public record ListPrograms(String tenantId, String status) {
    }

    public record ListProgramAdvocates(String tenantId, String programId, int limit, int offset) {
    }

    public record ProgramList(List<ProgramView> items) {
    }

    public record AdvocateList(List<AdvocateView> items) {
    }

    private final JdbcTemplate jdbc;
    private final AppliedPositions appliedPositions;
    private final Duration readYourWritesTimeout;

    public ProgramQueries(JdbcTemplate jdbc, AppliedPositions appliedPositions,
                          @Value("${ledger.read-your-writes-timeout:PT5S}") Duration readYourWritesTimeout) {
        this.jdbc = jdbc;
        this.appliedPositions = appliedPositions;
        this.readYourWritesTimeout = readYourWritesTimeout;
    }

    /** Waits (outside any transaction) until the program row shows event {@code version}. */
    public boolean awaitVersion(String programId, long version) {
        return appliedPositions.await(programId, version, () -> jdbc.queryForList(
                "SELECT last_event_sequence FROM program WHERE program_id = ?", Long.class, programId)
                .stream().findFirst().orElse(-1L), readYourWritesTimeout);
    }

    /** Waits (outside any transaction) until {@code program_advocate} shows the enrollment. */
    public boolean awaitEnrollment(String enrollmentId) {
        return appliedPositions.await(enrollmentId, 0, () -> jdbc.queryForList(
                "SELECT 0 FROM program_advocate WHERE enrollment_id = ?", Long.class, enrollmentId)
                .stream().findFirst().orElse(-1L), readYourWritesTimeout);
    }

    /** {@link TenantRow}: by the primary key alone, the tenant compared on the row. */
    public static final String FIND = "SELECT * FROM program WHERE program_id = ?";

    @QueryHandler
    public ProgramView find(FindProgram q) {
        return TenantRow.find(jdbc, FIND, q.programId(), q.tenantId(), ProgramQueries::program);
    }

    @QueryHandler
    public ProgramList list(ListPrograms q) {
        if (q.status() == null) {
            return new ProgramList(jdbc.query("SELECT * FROM program WHERE tenant_id = ? ORDER BY created_at DESC",
                    ProgramQueries::program, q.tenantId()));
        }
        return new ProgramList(jdbc.query("SELECT * FROM program WHERE tenant_id = ? AND status = ? ORDER BY created_at DESC",
                ProgramQueries::program, q.tenantId(), q.status()));
    }

    @QueryHandler
    public AdvocateList advocates(ListProgramAdvocates q) {
        return new AdvocateList(jdbc.query("""
                SELECT a.*, p.landing_url FROM program_advocate a JOIN program p ON p.program_id = a.program_id
                WHERE a.tenant_id = ? AND a.program_id = ? ORDER BY a.enrolled_at, a.enrollment_id LIMIT ? OFFSET ?""",
                (rs, n) -> new AdvocateView(rs.getString("enrollment_id"), rs.getString("advocate_id"),
                        rs.getString("program_id"), rs.getString("referral_code"),
                        shareLink(rs.getString("landing_url"), rs.getString("referral_code")), rs.getString("role"),
                        rs.getString("name"), rs.getString("email"), rs.getString("phone"), rs.getString("external_id"),
                        instant(rs.getTimestamp("enrolled_at"))),
                q.tenantId(), q.programId(), q.limit(), q.offset()));
    }

    private static String shareLink(String landingUrl, String code) {
        return landingUrl == null ? null : landingUrl + (landingUrl.contains("?") ? "&" : "?") + "ref=" + code;
    }

    private static ProgramView program(ResultSet rs, int row) throws SQLException {
        return new ProgramView(rs.getString("program_id"), rs.getString("name"), rs.getString("slug"),
                rs.getString("campaign_token"), rs.getString("status"), list(rs.getArray("allowed_channels")),
                list(rs.getArray("allowed_types")), list(rs.getArray("invitation_types")),
                rs.getInt("attribution_window_days"), rs.getInt("velocity_limit_per_hour"), rs.getString("landing_url"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")),
                rs.getLong("last_event_sequence"));
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
