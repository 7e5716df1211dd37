package dev.referralledger.api.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.referralledger.api.audit.LedgerVerification;
import org.springframework.context.ApplicationContext;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The operator endpoints as commands of the jar, for a ledger whose application is not running (maintenance,
 * a restored backup, a scheduled check):
 * <pre>
 * java -jar referral-ledger.jar projections             # status, as GET /admin/projections
 * java -jar referral-ledger.jar rebuild [projection...] # as POST /admin/projections[/{name}]/rebuild
 * java -jar referral-ledger.jar verify                  # as POST /admin/verify
 * </pre>
 * Each prints its answer as JSON and exits: 0 when done (verify: and nothing differs), 1 when verify found a
 * difference, 2 when the command failed. While the application runs, use the HTTP endpoints: a second process
 * cannot stop the running one's projections.
 */
public final class ProjectionCommandLine {

    private static final Set<String> COMMANDS = Set.of("projections", "rebuild", "verify");

    private ProjectionCommandLine() {
    }

    /** The command named by the first argument that is not an option, if any. */
    public static String commandIn(String[] args) {
        return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().filter(COMMANDS::contains).orElse(null);
    }

    public static int run(ApplicationContext context, String[] args, PrintStream out) {
        List<String> words = Arrays.stream(args).filter(a -> !a.startsWith("-")).toList();
        ObjectMapper json = context.getBean(ObjectMapper.class).copy().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            switch (words.get(0)) {
                case "projections" -> out.println(json.writeValueAsString(context.getBean(ProjectionStatus.class).overview()));
                case "rebuild" -> {
                    ProjectionRebuild rebuild = context.getBean(ProjectionRebuild.class);
                    List<String> names = words.subList(1, words.size());
                    Set<String> known = context.getBean(ProjectionCatalog.class).projections().keySet();
                    for (String name : names) {
                        if (!known.contains(name)) {
                            out.println("{\"error\": \"no projection is called '" + name + "'\", \"projections\": "
                                    + json.writeValueAsString(known) + "}");
                            return 2;
                        }
                    }
                    out.println(json.writeValueAsString(names.isEmpty() ? rebuild.rebuildAll() : rebuild.rebuild(names)));
                }
                case "verify" -> {
                    LedgerVerification.Report report = context.getBean(LedgerVerification.class).verify();
                    out.println(json.writeValueAsString(report));
                    return report.ok() ? 0 : 1;
                }
                default -> throw new IllegalArgumentException(words.get(0));
            }
            return 0;
        } catch (Exception e) {
            out.println("{\"error\": " + quoted(String.valueOf(e.getMessage())) + "}");
            return 2;
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }
}
