package dev.referralledger.api;

import dev.referralledger.api.config.EarlyDatabaseStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication(scanBasePackages = "dev.referralledger")
@ConfigurationPropertiesScan
@EnableScheduling
public class LedgerApplication {

    public static void main(String[] args) {
        disableUpdateChecker();
        SpringApplication application = new SpringApplication(LedgerApplication.class);
        // the embedded PostgreSQL starts while the context is built, not after (docs/performance.md, "Start")
        application.addInitializers(new EarlyDatabaseStart());
        application.run(args);
    }

    /** Axon's update checker calls home and its console banner advertises; this ledger often runs offline. */
    public static void disableUpdateChecker() {
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
        System.setProperty("disable-axoniq-console-message", "true");
    }
}
