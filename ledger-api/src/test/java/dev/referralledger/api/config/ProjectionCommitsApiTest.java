package dev.referralledger.api.config;

import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.core.reward.RewardPolicySaga;
import dev.referralledger.projections.ProcessingGroups;
import dev.referralledger.projections.referral.ReferralPipelineProjection;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import dev.referralledger.projections.testing.TestDatabase;

import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/** The processors' transactions as the running application configures them. */
class ProjectionCommitsApiTest extends ApiTestSupport {

    private static String database;

    /** A database that waits for the disk by default, as a production server does (the test server does not). */
    @DynamicPropertySource
    static synchronized void waitingDatabase(DynamicPropertyRegistry registry) throws Exception {
        if (database == null) {
            database = TestDatabase.fresh("synchronous_commits");
            try (var connection = DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password());
                 var statement = connection.createStatement()) {
                statement.execute("ALTER DATABASE synchronous_commits SET synchronous_commit = on");
            }
        }
        registry.add("ledger.test.database-url", () -> database);
    }

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    TransactionManager commands;

    @Autowired
    JdbcTemplate jdbc;

    private String synchronousCommitIn(TransactionManager transactions) {
        return transactions.fetchInTransaction(() -> jdbc.queryForObject("SELECT current_setting('synchronous_commit')", String.class));
    }

    @Test
    void projectionsCommitWithoutWaitingForTheDiskButTheSagaAndCommandsWait() {
        assertThat(synchronousCommitIn(processing.transactionManager(ReferralPipelineProjection.NAME))).isEqualTo("off");
        assertThat(synchronousCommitIn(processing.transactionManager(ProcessingGroups.DIRECTORY))).isEqualTo("off");
        assertThat(synchronousCommitIn(processing.transactionManager(RewardPolicySaga.PROCESSING_GROUP))).isEqualTo("on");
        assertThat(synchronousCommitIn(commands)).isEqualTo("on");
        // SET LOCAL: a pooled connection that ran a projection's transaction waits for the disk again afterwards
        assertThat(jdbc.queryForObject("SELECT current_setting('synchronous_commit')", String.class)).isEqualTo("on");
    }
}
