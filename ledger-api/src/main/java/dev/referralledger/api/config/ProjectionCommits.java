package dev.referralledger.api.config;

import dev.referralledger.core.reward.RewardPolicySaga;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfigurer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The event processors' transactions: on the processors' own connections ({@link ConnectionPools}), and, for the
 * projections, committed without waiting for the disk ({@code synchronous_commit = off}).
 *
 * <p>A processor's thread starts a transaction before it reads a token or an event, so the first one marks the
 * thread: from then on every connection it takes, inside a transaction or not (a processor behind the event store's
 * cache reads events on its own thread), comes from the processors' pool
 * ({@link ConnectionPools#processorTransactions}). The commands the reward saga sends run on a thread of their own,
 * as every command does, on the requests' pool.</p>
 *
 * <p>Every event processor commits a transaction per batch, to store its position even when it handled nothing:
 * six processors made six flushes of the write-ahead log per referral written, on top of the command's own. A
 * projection's rows and its position commit in the same transaction, so a crash can only lose the last few
 * milliseconds of both together, and the processor applies those events again from the event store, whose
 * commits stay synchronous: nothing acknowledged is lost. The saga is the exception: it issues rewards, so its
 * transactions wait for the disk like every command's. {@code ledger.projections.synchronous-commit=true} restores
 * waiting everywhere.</p>
 */
@Configuration(proxyBeanMethods = false)
public class ProjectionCommits {

    @Autowired
    void processorTransactions(EventProcessingConfigurer processing, TransactionManager transactions,
                                         JdbcTemplate jdbc,
                                         @Value("${ledger.projections.synchronous-commit:false}") boolean synchronous) {
        TransactionManager waiting = ConnectionPools.processorTransactions(transactions);
        TransactionManager asynchronous = synchronous ? waiting : () -> {
            Transaction transaction = waiting.startTransaction();
            jdbc.execute("SET LOCAL synchronous_commit = off");
            return transaction;
        };
        processing.registerDefaultTransactionManager(configuration -> asynchronous);
        processing.registerTransactionManager(RewardPolicySaga.PROCESSING_GROUP, configuration -> waiting);
    }
}
