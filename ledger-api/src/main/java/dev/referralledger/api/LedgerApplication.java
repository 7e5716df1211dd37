package dev.referralledger.api;

import dev.referralledger.api.config.EarlyDatabaseStart;
import dev.referralledger.api.projection.ProjectionCommandLine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;

@SpringBootApplication(scanBasePackages = "dev.referralledger")
@ConfigurationPropertiesScan
@EnableScheduling
public class LedgerApplication {

    public static void main(String[] args) {
        disableUpdateChecker();
        SpringApplication application = new SpringApplication(LedgerApplication.class);
        // the embedded PostgreSQL starts while the context is built, not after (docs/performance.md, "Start")
        application.addInitializers(new EarlyDatabaseStart());
        String command = ProjectionCommandLine.commandIn(args);
        if (command != null) {
            // an operator command (docs/audit.md): no web server, only its own answer on standard output
            application.setWebApplicationType(WebApplicationType.NONE);
            application.setDefaultProperties(Map.of("logging.level.root", "WARN"));
            ConfigurableApplicationContext context = application.run(args);
            int status = ProjectionCommandLine.run(context, args, System.out);
            System.exit(SpringApplication.exit(context, () -> status));
        }
        ConfigurableApplicationContext context = application.run(args);
        if (context.getEnvironment().getProperty("ledger.exit-when-ready", Boolean.class, false)) {
            exitWhenReady(context);
        }
    }

    /**
     * The training run of the class-data-sharing archive (Dockerfile, docs/operations.md): one health request
     * loads the classes of the first request too, then the JVM exits, which writes the archive.
     */
    private static void exitWhenReady(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.server.port");
        try {
            HttpURLConnection health = (HttpURLConnection) URI.create("http://localhost:" + port + "/actuator/health").toURL().openConnection();
            health.getResponseCode();
            health.disconnect();
        } catch (IOException e) {
            // the archive is only a little less complete
        }
        System.exit(SpringApplication.exit(context));
    }

    /** Axon's update checker calls home and its console banner advertises; this ledger often runs offline. */
    public static void disableUpdateChecker() {
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
        System.setProperty("disable-axoniq-console-message", "true");
    }
}
