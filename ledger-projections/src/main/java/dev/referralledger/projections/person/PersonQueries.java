package dev.referralledger.projections.person;

import dev.referralledger.projections.TenantRow;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/** Reads {@code person}, and the person's referrals from {@code referral_pipeline}. */
@Component
public class PersonQueries {

    public record FindPerson(String tenantId, String personId) {
    }

    private static final int SHOWN = 100;

    private final JdbcTemplate jdbc;

    public PersonQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * {@link TenantRow}: by the primary key alone, the tenant compared on the row; the person's referrals by their
     * person columns alone, for the same reason: they are all of the person's tenant.
     */
    public static final String FIND = "SELECT * FROM person WHERE person_id = ?";

    @QueryHandler
    public PersonView find(FindPerson q) {
        return TenantRow.find(jdbc, FIND, q.personId(), q.tenantId(), (rs, n) -> new PersonView(
                        rs.getString("person_id"), rs.getString("name"), rs.getString("email"), rs.getString("phone"),
                        rs.getString("external_id"), rs.getString("lead_source"),
                        rs.getTimestamp("first_seen_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant(),
                        count("advocate_id", q), count("referred_person_id", q),
                        referrals("advocate_id", q), referrals("referred_person_id", q)));
    }

    private long count(String column, FindPerson q) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM referral_pipeline WHERE " + column + " = ?",
                Long.class, q.personId());
        return n == null ? 0 : n;
    }

    private List<PersonView.ReferralSummary> referrals(String column, FindPerson q) {
        return jdbc.query("SELECT referral_id, status, program_id, advocate_id, referred_person_id, flag, received_at"
                        + " FROM referral_pipeline WHERE " + column + " = ?"
                        + " ORDER BY received_position DESC LIMIT " + SHOWN,
                (rs, n) -> new PersonView.ReferralSummary(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()),
                q.personId());
    }
}
