package dev.referralledger.api.config;

import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Starts the embedded PostgreSQL before the Spring context is refreshed, so that {@code initdb} and the
 * postmaster's start run on their own thread while the context loads its classes and beans, which takes longer
 * (docs/performance.md, "Start"). {@link DatabaseConfig} takes the server over; until it has, this closes the
 * server if start-up fails or the context is closed, so that a failed start leaves no postmaster behind.
 *
 * <p>Added by {@code LedgerApplication.main}; a context started otherwise (tests) starts the server in
 * {@link DatabaseConfig}, on the context's thread.</p>
 */
public final class EarlyDatabaseStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    static final String BEAN_NAME = "earlyDatabaseStart";

    private DatabaseServer server;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        // only the two settings it needs: the context binds and validates all of LedgerProperties later
        Binder binder = Binder.get(context.getEnvironment());
        String url = binder.bind("ledger.db.url", String.class).orElse("");
        if (!url.isBlank()) {
            return;
        }
        LedgerProperties.Embedded embedded = binder.bind("ledger.embedded", LedgerProperties.Embedded.class).orElse(null);
        synchronized (this) {
            server = DatabaseConfig.startEmbedded(embedded);
        }
        context.getBeanFactory().registerSingleton(BEAN_NAME, this);
        context.addApplicationListener(new CloseUnlessTaken());
    }

    /** Hands the server to its owner; null when none was started here or it was taken already. */
    synchronized DatabaseServer take() {
        DatabaseServer taken = server;
        server = null;
        return taken;
    }

    private final class CloseUnlessTaken implements GenericApplicationListener {

        @Override
        public boolean supportsEventType(ResolvableType eventType) {
            Class<?> type = eventType.toClass();
            return ApplicationFailedEvent.class.isAssignableFrom(type) || ContextClosedEvent.class.isAssignableFrom(type);
        }

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            DatabaseServer orphan = take();
            if (orphan != null) {
                try {
                    orphan.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
