package dev.referralledger.api.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.referralledger.core.person.PersonalData;
import dev.referralledger.projections.history.SealedPersonalData;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts a subject's personal data as {@code pii:v1:<tenant id>:<subject id>:<base64 of IV and AES-GCM
 * ciphertext>}. The tenant and subject are authenticated with it, so a value cannot be moved to another person.
 * An erased subject's data is written without ciphertext ({@code pii:v1:<tenant>:<subject>:}): it is never
 * stored again once the key is gone.
 */
@Component
public class PersonalDataCipher implements SealedPersonalData {

    public static final String PREFIX = SealedPersonalData.PREFIX;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A decrypted value: its JSON, or null bytes when the subject was erased. */
    public record Opened(String tenantId, String subjectId, byte[] json) {
        public boolean erased() {
            return json == null;
        }
    }

    private final PersonKeyStore keys;
    /** IVs from a DRBG per thread: the platform default reads /dev/urandom on every call, under one lock. */
    private final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    });
    /**
     * Two ciphers per thread, each kept for the last key it was given: the JDK's AES expands a key into its round
     * keys on every {@code init} unless the key is the one it had, and an event's sealed fields alternate between
     * two people's keys (the key schedule was 4.5% of a rebuild lane's samples).
     */
    private final ThreadLocal<KeyedCipher[]> ciphers = ThreadLocal.withInitial(() -> {
        try {
            return new KeyedCipher[]{new KeyedCipher(Cipher.getInstance("AES/GCM/NoPadding")),
                    new KeyedCipher(Cipher.getInstance("AES/GCM/NoPadding"))};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private static final class KeyedCipher {
        final Cipher cipher;
        byte[] key;

        KeyedCipher(Cipher cipher) {
            this.cipher = cipher;
        }
    }

    /** This thread's cipher last given {@code key}, or the one given a key least recently, now {@code key}'s. */
    private Cipher cipherFor(byte[] key) {
        KeyedCipher[] mine = ciphers.get();
        if (mine[0].key != key && mine[1].key == key) {
            KeyedCipher swap = mine[0];
            mine[0] = mine[1];
            mine[1] = swap;
        } else if (mine[0].key != key) {
            KeyedCipher oldest = mine[1];
            mine[1] = mine[0];
            mine[0] = oldest;
            oldest.key = key;
        }
        return mine[0].cipher;
    }

    public PersonalDataCipher(PersonKeyStore keys) {
        this.keys = keys;
    }

    public static boolean isSealed(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    public String seal(String tenantId, String subjectId, byte[] json) {
        String head = PREFIX + tenantId + ':' + subjectId + ':';
        byte[] key = keys.keyForWriting(tenantId, subjectId);
        if (key == null) {
            return head;
        }
        byte[] iv = new byte[IV_BYTES];
        random.get().nextBytes(iv);
        try {
            Cipher cipher = cipherFor(key);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(tenantId, subjectId));
            byte[] sealed = new byte[IV_BYTES + cipher.getOutputSize(json.length)];
            System.arraycopy(iv, 0, sealed, 0, IV_BYTES);
            cipher.doFinal(json, 0, json.length, sealed, IV_BYTES);
            return head + Base64.getEncoder().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt personal data", e);
        }
    }

    /**
     * @throws IllegalStateException when the subject has no key row (the keys of an imported ledger are missing)
     *                               or the value was tampered with
     */
    public Opened open(String sealed) {
        int tenantEnd = sealed.indexOf(':', PREFIX.length());
        int subjectEnd = sealed.lastIndexOf(':');
        if (tenantEnd < 0 || subjectEnd <= tenantEnd) {
            throw new IllegalStateException("malformed personal data value");
        }
        String tenantId = sealed.substring(PREFIX.length(), tenantEnd);
        String subjectId = sealed.substring(tenantEnd + 1, subjectEnd);
        String body = sealed.substring(subjectEnd + 1);
        if (body.isEmpty()) {
            return new Opened(tenantId, subjectId, null);
        }
        PersonKeyStore.SubjectKey key = keys.keyForReading(tenantId, subjectId);
        if (key == null) {
            throw new IllegalStateException("no key for data subject " + subjectId + " of tenant " + tenantId
                    + ": import the person keys (POST /admin/person-keys) with the events");
        }
        if (key.erased()) {
            return new Opened(tenantId, subjectId, null);
        }
        byte[] data = Base64.getDecoder().decode(body);
        try {
            Cipher cipher = cipherFor(key.key());
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.key(), "AES"),
                    new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
            cipher.updateAAD(aad(tenantId, subjectId));
            return new Opened(tenantId, subjectId, cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("personal data of subject " + subjectId + " does not decrypt", e);
        }
    }

    /** For the auditor's history: the stored JSON of the value, or the marker as a string once erased. */
    @Override
    public JsonNode open(String sealed, ObjectMapper json) {
        Opened opened = open(sealed);
        if (opened.erased()) {
            return TextNode.valueOf(PersonalData.ERASED);
        }
        try {
            return json.readTree(opened.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] aad(String tenantId, String subjectId) {
        return (tenantId + ':' + subjectId).getBytes(StandardCharsets.UTF_8);
    }
}
