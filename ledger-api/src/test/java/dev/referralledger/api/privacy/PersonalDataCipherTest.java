package dev.referralledger.api.privacy;

import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sealed values of many people read back in turn on one thread (whose cipher is re-keyed as the person changes): a
 * changed byte or a value moved to another person is refused, and the cipher that refused it reads the next value
 * right.
 */
class PersonalDataCipherTest extends ApiTestSupport {

    @Autowired
    PersonalDataCipher cipher;

    @Test
    void valuesOfManyPeopleInTurnOpenAndTamperingIsRefused() {
        String tenant = "cipher-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> sealed = new ArrayList<>();
        for (int person = 0; person < 9; person++) {
            sealed.add(cipher.seal(tenant, "p-" + person, json(person)));
        }
        int[][] orders = {
                {0, 1, 2, 3, 4, 5, 6, 7, 8},
                {0, 1, 0, 1, 0, 1, 1, 1, 0}, // two people in turn: each on a cipher kept for their key
                {0, 1, 1, 1, 0, 2, 0, 2, 1}, // a third person takes the cipher used least recently
                {8, 7, 6, 5, 4, 3, 2, 1, 0}};
        for (int[] order : orders) {
            for (int reading : order) {
                assertThat(new String(cipher.open(sealed.get(reading)).json(), StandardCharsets.UTF_8))
                        .isEqualTo(new String(json(reading), StandardCharsets.UTF_8));
            }
        }
        // sealing between openings, on the same thread's ciphers, reads back too
        String again = cipher.seal(tenant, "p-1", json(1));
        assertThat(new String(cipher.open(sealed.get(0)).json(), StandardCharsets.UTF_8))
                .isEqualTo(new String(json(0), StandardCharsets.UTF_8));
        assertThat(new String(cipher.open(again).json(), StandardCharsets.UTF_8))
                .isEqualTo(new String(json(1), StandardCharsets.UTF_8));

        String value = sealed.get(3);
        int bodyStart = value.lastIndexOf(':') + 1;
        byte[] body = Base64.getDecoder().decode(value.substring(bodyStart));
        body[body.length - 1] ^= 1;
        String changed = value.substring(0, bodyStart) + Base64.getEncoder().encodeToString(body);
        assertThatThrownBy(() -> cipher.open(changed)).hasMessageContaining("does not decrypt");
        String moved = value.replace(":p-3:", ":p-4:");
        assertThatThrownBy(() -> cipher.open(moved)).hasMessageContaining("does not decrypt");
        // after refusing, the thread's cipher reads the intact value
        assertThat(new String(cipher.open(value).json(), StandardCharsets.UTF_8))
                .isEqualTo(new String(json(3), StandardCharsets.UTF_8));
    }

    private static byte[] json(int person) {
        return ("{\"email\":\"person" + person + "@example.com\"}").getBytes(StandardCharsets.UTF_8);
    }
}
