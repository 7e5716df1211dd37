package dev.referralledger.api.config;

import dev.referralledger.api.ApiTestSupport;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/** Query handlers as the running application calls them: each statement on its own, no transaction around. */
class QueryTransactionsApiTest extends ApiTestSupport {

    record WhereAmI() {
    }

    /** What a query handler sees of its surroundings. */
    record Surroundings(boolean springTransaction, long databaseTransactions) {
    }

    static class Probe {
        private final JdbcTemplate jdbc;

        Probe(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @QueryHandler
        public Surroundings answer(WhereAmI query) {
            // two statements: in one transaction they would share its id, each on its own they get a new one
            Long first = jdbc.queryForObject("SELECT txid_current()", Long.class);
            Long second = jdbc.queryForObject("SELECT txid_current()", Long.class);
            return new Surroundings(TransactionSynchronizationManager.isActualTransactionActive(),
                    first.equals(second) ? 1 : 2);
        }
    }

    @TestConfiguration
    static class WithProbe {
        @Bean
        Probe probe(JdbcTemplate jdbc) {
            return new Probe(jdbc);
        }
    }

    @Autowired
    QueryGateway queries;

    @Test
    void aQueryHandlerRunsWithoutATransaction() {
        Surroundings seen = queries.query(new WhereAmI(), Surroundings.class).join();
        assertThat(seen.springTransaction()).isFalse();
        assertThat(seen.databaseTransactions()).isEqualTo(2);
    }
}
