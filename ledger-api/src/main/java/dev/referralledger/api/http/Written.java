package dev.referralledger.api.http;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.net.URI;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The answer to a stored write (read-your-writes): the resource as its projection shows it once the projection
 * has applied the write, with {@code status} (and {@code Location} for 201); or 202 {@link Accepted} with the
 * id and version when the projection did not get there in time — the write is stored all the same.
 */
public final class Written {

    private Written() {
    }

    /**
     * @param shown waits, at most the read-your-writes timeout, until the projection shows the write
     * @param read  reads the resource from the projection
     */
    public static ResponseEntity<?> answer(String location, String id, long version, HttpStatus status,
                                           BooleanSupplier shown, Supplier<?> read) {
        if (status != null && shown.getAsBoolean()) {
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(status);
            if (status == HttpStatus.CREATED) {
                answer.location(URI.create(location));
            }
            return answer.body(read.get());
        }
        return ResponseEntity.accepted().location(URI.create(location)).body(Accepted.of(id, version));
    }
}
