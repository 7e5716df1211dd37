package dev.referralledger.api.tenant;

import dev.referralledger.api.config.LedgerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * A newcomer's first start: on the embedded database, with no admin token and no tenant yet, create tenant
 * {@code demo} and print its API key once, so that curl works at once. Never on an external database.
 */
@Component
class DemoTenant implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoTenant.class);

    private final TenantDirectory tenants;
    private final LedgerProperties properties;

    DemoTenant(TenantDirectory tenants, LedgerProperties properties) {
        this.tenants = tenants;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.demoTenant() || !properties.usesEmbeddedDatabase() || properties.adminEnabled()
                || !tenants.isEmpty()) {
            return;
        }
        TenantDirectory.IssuedKey key = tenants.createTenantWithKey("demo", "Demo");
        log.info("Created tenant 'demo'");
        System.out.println("""

                ================================================================
                 Referral Ledger: tenant 'demo' created. Its API key (shown once):

                   export LEDGER_API_KEY=%s
                ================================================================
                """.formatted(key.secret()));
    }
}
