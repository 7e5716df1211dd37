package dev.referralledger.api.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.api.ChildLedger;
import dev.referralledger.api.LedgerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar's operator commands, run as their own process on the data a stopped application left. */
class ProjectionCommandLineTest {

    @TempDir
    Path dataDir;

    private record Run(int exitCode, String output) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(output.substring(output.indexOf('{')));
        }
    }

    @Test
    void verifyRebuildAndStatusRunWithoutTheServer() throws Exception {
        try (ChildLedger ledger = new ChildLedger(dataDir, "cli-admin", "cli-app")) {
            ledger.start();
            String key = ledger.newTenantKey("cli");
            ledger.created("/api/v1/referrals", key, """
                    {"referrer": {"email": "pat@example.com"}, "referred": {"firstName": "Sam", "email": "sam@example.com"}}""");
        }

        Run verify = run("verify");
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.json().path("ok").asBoolean()).isTrue();
        assertThat(verify.json().path("projections").path("events").asLong()).isGreaterThanOrEqualTo(1);

        Run rebuild = run("rebuild", "referral-pipeline");
        assertThat(rebuild.exitCode()).as(rebuild.output()).isZero();
        assertThat(rebuild.json().path("processors").toString()).isEqualTo("[\"referral-pipeline\"]");

        Run unknown = run("rebuild", "no-such-projection");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("no projection is called 'no-such-projection'");

        Run status = run("projections");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.json().path("projections").findValuesAsText("name")).contains("referral-pipeline", "reward-policy");
    }

    private Run run(String... words) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LedgerApplication.class.getName()));
        command.addAll(List.of(words));
        command.addAll(List.of("--ledger.db.url=", "--ledger.embedded.data-dir=" + dataDir, "--ledger.demo-tenant=false"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
