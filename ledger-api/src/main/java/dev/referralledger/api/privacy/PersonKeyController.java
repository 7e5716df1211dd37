package dev.referralledger.api.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldViolation;
import dev.referralledger.core.rules.InvalidCommandException;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Operator endpoints: export and import of the person keys, which an export of the events needs to be readable
 * in another ledger. The export is as sensitive as the personal data itself: whoever holds it and the events
 * reads every person who was not erased.
 */
@RestController
@RequestMapping("/admin/person-keys")
@Tag(name = "Admin")
public class PersonKeyController {


    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final PersonKeyStore keys;
    private final TransactionTemplate transaction;

    public PersonKeyController(PersonKeyStore keys, TransactionTemplate transaction) {
        this.keys = keys;
        this.transaction = transaction;
    }

    /** One JSON line per key: tenantId, subjectId, key (base64, null once erased), createdAt, erasedAt. */
    @GetMapping
    public void export(HttpServletResponse response) throws IOException {
        response.setContentType(MediaType.APPLICATION_NDJSON_VALUE);
        response.setHeader("Cache-Control", "no-store");
        OutputStream out = response.getOutputStream();
        keys.export(row -> {
            try {
                out.write(JSON.writeValueAsBytes(row));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        out.flush();
    }

    /**
     * Imports an export (NDJSON) into a ledger that has no key yet, all or nothing: 409 PERSON_KEYS_NOT_EMPTY
     * otherwise; a broken line is a 400 naming it ("line 3").
     */
    @PostMapping
    public Map<String, Integer> importKeys(HttpServletRequest request) throws IOException {
        List<PersonKeyStore.ExportedKey> rows = new ArrayList<>();
        List<FieldViolation> violations = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(request.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String field = "line " + number;
                PersonKeyStore.ExportedKey row;
                try {
                    row = JSON.readValue(line, PersonKeyStore.ExportedKey.class);
                } catch (IOException e) {
                    violations.add(new FieldViolation(field, "INVALID_JSON", "Each line must be one exported key."));
                    continue;
                }
                String problem = problem(row);
                if (problem != null) {
                    violations.add(new FieldViolation(field, "INVALID_KEY", problem));
                } else {
                    rows.add(row);
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidCommandException(violations);
        }
        transaction.executeWithoutResult(status -> {
            if (!keys.isEmpty()) {
                throw new ConflictException("PERSON_KEYS_NOT_EMPTY",
                        "This ledger has person keys already: keys are imported into an empty ledger only.", Map.of());
            }
            keys.insert(rows);
        });
        return Map.of("imported", rows.size());
    }

    private static String problem(PersonKeyStore.ExportedKey row) {
        if (row.tenantId() == null || row.tenantId().isBlank() || row.subjectId() == null || row.subjectId().isBlank()) {
            return "tenantId and subjectId are required.";
        }
        if (row.createdAt() == null) {
            return "createdAt is required.";
        }
        if ((row.key() == null) != (row.erasedAt() != null)) {
            return "A key has either key (live) or erasedAt (erased), not both or neither.";
        }
        if (row.key() != null) {
            try {
                if (Base64.getDecoder().decode(row.key()).length != PersonKeyStore.KEY_BYTES) {
                    return "key must be " + PersonKeyStore.KEY_BYTES + " bytes in base64.";
                }
            } catch (IllegalArgumentException e) {
                return "key must be base64.";
            }
        }
        return null;
    }
}
