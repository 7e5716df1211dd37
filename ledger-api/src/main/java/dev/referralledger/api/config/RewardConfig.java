package dev.referralledger.api.config;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.reward.ConversionCounts;
import dev.referralledger.core.reward.RewardHold;
import dev.referralledger.core.reward.RewardPolicySaga;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineManagerSpanFactory;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;

/**
 * Rewards wiring: the reward policy saga's JDBC store on snake_case tables, and the deadline manager that keeps
 * each reward's end of hold as a row of {@code scheduled_tasks} (db-scheduler), so a restart loses no deadline.
 */
@Configuration(proxyBeanMethods = false)
public class RewardConfig {

    @Bean
    SagaSchema sagaSchema() {
        return SagaSchema.builder()
                .sagaEntryTable("saga_entry")
                .sagaIdColumn("saga_id")
                .revisionColumn("revision")
                .sagaTypeColumn("saga_type")
                .serializedSagaColumn("serialized_saga")
                .associationValueEntryTable("association_value_entry")
                .associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .build();
    }

    @Bean
    SagaStore<Object> sagaStore(ConnectionProvider connectionProvider, Serializer serializer, SagaSchema schema) {
        return JdbcSagaStore.builder()
                .connectionProvider(connectionProvider)
                .sqlSchema(new PostgresSagaSqlSchema(schema))
                .serializer(serializer)
                .build();
    }

    /** Runs a reward's hold deadline: finds the deadline manager when the task fires, after start-up. */
    @Bean
    @Qualifier("deadlineDetailsTask")
    Task<DbSchedulerBinaryDeadlineDetails> deadlineDetailsTask(ApplicationContext context) {
        return DbSchedulerDeadlineManager.binaryTask(() -> context.getBean(DbSchedulerDeadlineManager.class));
    }

    /**
     * Polls {@code scheduled_tasks} for deadlines that are due. Through the transaction-aware proxy, a deadline
     * scheduled by a command is written in that command's transaction: no deadline without its reward.
     */
    @Bean(destroyMethod = "stop")
    Scheduler rewardScheduler(DataSource dataSource, List<Task<?>> tasks,
                              @Value("${ledger.rewards.deadline-poll-interval:PT1S}") Duration pollInterval) {
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), tasks)
                .tableName("scheduled_tasks")
                .pollingInterval(pollInterval)
                .threads(2)
                .build();
    }

    @Bean
    DeadlineManager deadlineManager(Scheduler scheduler, org.axonframework.config.Configuration configuration,
                                    Serializer serializer, TransactionManager transactionManager,
                                    DeadlineManagerSpanFactory spanFactory) {
        return DbSchedulerDeadlineManager.builder()
                .scheduler(scheduler)
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
                .serializer(serializer)
                .transactionManager(transactionManager)
                .spanFactory(spanFactory)
                .startScheduler(false)
                .stopScheduler(false)
                .build();
    }

    /** Deadlines fire only once the aggregates they load are registered. */
    @EventListener(ApplicationReadyEvent.class)
    void startDeadlines(ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(Scheduler.class).start();
    }

    @Bean
    RewardHold rewardHold(@Value("${ledger.rewards.hold-day-length:P1D}") Duration dayLength) {
        return new RewardHold(dayLength);
    }

    /**
     * A failing saga handler stops the saga's processor, which retries the event with back-off (Axon's default
     * would log it and move on: a conversion's rewards lost). Retrying is harmless: what was issued is found
     * issued.
     */
    @Bean
    ConfigurerModule rewardPolicyRetries() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerListenerInvocationErrorHandler(
                RewardPolicySaga.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance()));
    }

    /** Counts conversions per advocate for milestones (a command handler, like Enrollments). */
    @Bean
    ConversionCounts conversionCounts(Lookups lookups) {
        return new ConversionCounts(lookups);
    }
}
