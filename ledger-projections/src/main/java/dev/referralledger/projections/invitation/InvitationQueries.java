package dev.referralledger.projections.invitation;

import dev.referralledger.projections.TenantRow;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Answers invitation queries from {@code invitation}; every query is scoped to the caller's tenant. */
@Component
public class InvitationQueries {

    /** One invitation, by its id. */
    public record FindInvitation(String tenantId, String invitationId) {
    }

    /**
     * A program's invitations, newest first (by ledger position, then id: one batch shares a position).
     *
     * @param advocateId only this advocate's, or null
     * @param status     {@code INVITED} or {@code ACCEPTED}, or null
     * @param batchId    only this batch's, or null
     * @param cursor     the {@code nextCursor} of the previous page, or null
     */
    public record ListInvitations(String tenantId, String programId, String advocateId, String status,
                                  String batchId, int limit, Cursor cursor) {
    }

    /** Where a page ended: the last row's position and id. */
    public record Cursor(long position, String invitationId) {

        /** {@code <position>:<invitation id>}, as answered in {@code nextCursor}; null when it is not one. */
        public static Cursor parse(String text) {
            int colon = text.indexOf(':');
            if (colon < 1 || colon == text.length() - 1) {
                return null;
            }
            try {
                return new Cursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return position + ":" + invitationId;
        }
    }

    /** @param nextCursor pass it back as {@code cursor} for the next page; null on the last page */
    public record InvitationPage(List<InvitationView> items, String nextCursor) {
    }

    /** {@link TenantRow}: by the primary key alone, the tenant compared on the row. */
    public static final String FIND = "SELECT * FROM invitation WHERE invitation_id = ?";

    private final JdbcTemplate jdbc;

    public InvitationQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    public InvitationView find(FindInvitation query) {
        return TenantRow.find(jdbc, FIND, query.invitationId(), query.tenantId(), InvitationQueries::view);
    }

    @QueryHandler
    public InvitationPage list(ListInvitations q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM invitation WHERE tenant_id = ? AND program_id = ?");
        List<Object> args = new ArrayList<>(List.of(q.tenantId(), q.programId()));
        if (q.advocateId() != null) {
            sql.append(" AND advocate_id = ?");
            args.add(q.advocateId());
        }
        if (q.status() != null) {
            sql.append(" AND status = ?");
            args.add(q.status());
        }
        if (q.batchId() != null) {
            sql.append(" AND batch_id = ?");
            args.add(q.batchId());
        }
        if (q.cursor() != null) {
            sql.append(" AND (global_position, invitation_id) < (?, ?)");
            args.add(q.cursor().position());
            args.add(q.cursor().invitationId());
        }
        sql.append(" ORDER BY global_position DESC, invitation_id DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<InvitationView> rows = jdbc.query(sql.toString(), InvitationQueries::view, args.toArray());
        if (rows.size() <= q.limit()) {
            return new InvitationPage(rows, null);
        }
        InvitationView last = rows.get(q.limit() - 1);
        return new InvitationPage(rows.subList(0, q.limit()), new Cursor(last.position(), last.invitationId()).toString());
    }

    private static InvitationView view(ResultSet rs, int row) throws SQLException {
        return new InvitationView(rs.getString("invitation_id"), rs.getString("batch_id"), rs.getString("program_id"),
                rs.getString("advocate_id"), rs.getString("referral_code"), rs.getString("type"),
                rs.getString("identifier"), rs.getString("name"), instant(rs, "invited_at"), instant(rs, "recorded_at"),
                rs.getString("status"), rs.getString("referral_id"), instant(rs, "accepted_at"),
                rs.getLong("global_position"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
