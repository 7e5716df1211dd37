package dev.referralledger.core.program;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Referral codes: eight characters from an alphabet without the look-alikes 0/O, 1/I/L, so a code read off a
 * poster is typed right. Codes are matched case-insensitively (stored upper-case).
 */
public final class ReferralCodes {

    static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    static final int LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReferralCodes() {
    }

    static String next() {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(code);
    }

    /** The stored form of a code as a person typed it: trimmed, upper case; null when it cannot be a code. */
    public static String normalize(String typed) {
        if (typed == null) {
            return null;
        }
        String code = typed.trim().toUpperCase(Locale.ROOT);
        return code.isEmpty() || code.length() > 32 ? null : code;
    }
}
