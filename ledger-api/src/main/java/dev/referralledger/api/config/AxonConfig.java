package dev.referralledger.api.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.referralledger.api.http.RequestMetadata;
import dev.referralledger.api.privacy.PersonalDataCipher;
import dev.referralledger.api.privacy.PersonalDataModule;
import dev.referralledger.core.invitation.InvitationBatch;
import dev.referralledger.core.invitation.Invitations;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.program.Enrollment;
import dev.referralledger.core.program.Enrollments;
import dev.referralledger.core.referral.ReferralReceivedUpcaster;
import dev.referralledger.core.rules.FieldRules;
import org.axonframework.modelling.command.Repository;
import dev.referralledger.projections.AppliedPositions;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.queryhandling.LoggingQueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryBusSpanFactory;
import org.axonframework.queryhandling.QueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Axon wiring: the JDBC event store and token store on snake_case tables that Flyway owns, Jackson for every
 * serializer, and the interceptors that stamp each command with who sent it and spend its idempotency key.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfig {

    /** Axon's gateway, running a command again when another writer overtook it ({@link ConcurrentChangeRetry}). */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus) {
        return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(new ConcurrentChangeRetry()).build();
    }

    /** Axon's JDBC engine would otherwise look for camelCase tables ("DomainEventEntry"). */
    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /**
     * The JDBC storage engine, reading up to {@code ledger.event-store.batch-size} events per query (Axon's
     * default of 100 makes a replay of a million events cost ten thousand round trips), its reader thread reading
     * up to the head outside a transaction, and the time stamps of the events it streams parsed by hand
     * ({@link LedgerEventStorageEngine}).
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EventStorageEngine eventStorageEngine(Serializer serializer, @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                          EventSchema eventSchema,
                                          @Value("${ledger.event-store.batch-size:1000}") int batchSize) {
        return new LedgerEventStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(new DuplicateEventResolver())
                .connectionProvider(connectionProvider)
                .transactionManager(LedgerEventStorageEngine.readerWithoutTransactions(transactionManager))
                .schema(eventSchema)
                .batchSize(batchSize));
    }

    /**
     * The event store. Its reader thread is woken the moment this process commits events (no wake-up is lost),
     * so the fetch delay only bounds how late events written by another process are seen. Measured here: 10 ms
     * polling cost about 5% CPU idle and a third of the write throughput under load; 200 ms costs nothing.
     * It keeps the newest events in memory for processors that follow the head: Axon's default of 10,000 held
     * about 30 MB (each event serialized and deserialized), which outlived young collections and filled the old
     * generation of the 256 MB heap (a full collection every 30 s under writes); processors that fall further
     * behind read from the database instead. Its reader takes its connections from the processors' pool
     * ({@link ConnectionPools}).
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                  @Value("${ledger.event-store.fetch-delay:PT0.2S}") Duration fetchDelay,
                                  @Value("${ledger.event-store.cached-events:500}") int cachedEvents) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(fetchDelay.toMillis())
                .cachedEvents(cachedEvents)
                .threadFactory(ConnectionPools.processorThreads(new AxonThreadFactory(EmbeddedEventStore.class.getSimpleName())))
                .timeUnit(TimeUnit.MILLISECONDS)
                .build();
    }

    /**
     * Axon's query bus as Spring Boot would build it, but without a transaction around each handler: every
     * query handler only reads, and under READ COMMITTED a transaction gave its statements no common snapshot
     * anyway, while it cost a round trip to begin and one to commit on every read, including the read-back of
     * every write. A handler that needs a transaction opens its own ({@code WhatIfQueries}).
     */
    @Bean
    SimpleQueryBus queryBus(org.axonframework.config.Configuration configuration) {
        return SimpleQueryBus.builder()
                .messageMonitor(configuration.messageMonitor(QueryBus.class, "queryBus"))
                .errorHandler(configuration.getComponent(QueryInvocationErrorHandler.class,
                        () -> LoggingQueryInvocationErrorHandler.builder().build()))
                .queryUpdateEmitter(configuration.getComponent(QueryUpdateEmitter.class))
                .spanFactory(configuration.getComponent(QueryBusSpanFactory.class))
                .build();
    }

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /**
     * The stored form of events, tokens and metadata. Unlike the web mapper it ignores unknown properties,
     * so that an event stored by a newer version still reads.
     */
    @Bean
    @Primary
    Serializer serializer(PersonalDataCipher personalData) {
        return JacksonSerializer.builder().objectMapper(protectedStorageMapper(personalData)).build();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer(Serializer serializer) {
        return serializer;
    }

    /**
     * Jackson's default keeps one set of buffers per thread, and the personal data of an event is written and
     * read by a second mapper while the first holds that set: each sealed field took fresh buffers, half of what
     * serializing a ReferralReceived allocated (35,838 → 17,910 bytes, {@code PersonalDataOverheadTest}). A shared
     * pool hands the nested mapper a set of its own, reused.
     */
    static ObjectMapper storageMapper() {
        return JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build())
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("stored-instants").addDeserializer(Instant.class, new StoredInstantDeserializer()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .build();
    }

    /**
     * The storage mapper that also encrypts the {@code @PersonalData} components of events with their person's
     * key, and reads them back (GDPR erasure by crypto-shredding; see docs/audit.md).
     */
    static ObjectMapper protectedStorageMapper(PersonalDataCipher personalData) {
        ObjectMapper plain = storageMapper();
        return plain.copy().registerModule(new PersonalDataModule(personalData, plain));
    }

    /** Reads ReferralReceived events stored before it had receivedAt (see docs/events.md, schema evolution). */
    @Bean
    ReferralReceivedUpcaster referralReceivedUpcaster() {
        return new ReferralReceivedUpcaster();
    }

    /**
     * Copies who caused a command onto every event it produces. Only commands are read: asked of every event a
     * projection handles, it deserialized each event's metadata for nothing (about 30% of a replay's CPU).
     */
    @Bean
    CorrelationDataProvider requestCorrelation() {
        SimpleCorrelationDataProvider keys = new SimpleCorrelationDataProvider(RequestMetadata.KEYS);
        return message -> message instanceof CommandMessage<?> ? keys.correlationDataFor(message) : Map.of();
    }

    @Bean
    FieldRules fieldRules(LedgerProperties properties) {
        return new FieldRules(properties.defaultPhoneRegion());
    }

    @Bean
    AppliedPositions appliedPositions() {
        return new AppliedPositions();
    }

    /** Enrolls advocates: finds an existing enrollment before creating one, which an aggregate cannot do itself. */
    @Bean
    Enrollments enrollments(Repository<Enrollment> enrollmentRepository, Lookups lookups, FieldRules rules) {
        return new Enrollments(enrollmentRepository, lookups, rules);
    }

    /** Sends invitations in bulk: a batch with no new invitee records nothing, which an aggregate cannot do itself. */
    @Bean
    Invitations invitations(Repository<InvitationBatch> invitationBatchRepository, Lookups lookups, FieldRules rules) {
        return new Invitations(invitationBatchRepository, lookups, rules);
    }
}
