package dev.referralledger.core.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks and normalizes the fields that every kind of command shares: names, emails, phones, money, codes.
 * Each check records a violation and returns the normalized value (or null), so that a command handler
 * validates every field before it decides anything.
 *
 * <p>Phones are stored in E.164. A number without a country prefix is read in the configured default
 * region; with no default region such a number is refused.</p>
 */
public final class FieldRules {

    public static final int MAX_NAME = 200;
    public static final int MAX_EMAIL = 254;
    public static final int MAX_CODE = 64;
    public static final int MAX_METADATA_BYTES = 8 * 1024;
    /** Amounts are stored as NUMERIC(19, 4): at most 15 digits before the decimal point. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999999.9999");

    // Deliberately pragmatic: one @, no spaces, a dot in the domain. RFC 5322 in full accepts addresses
    // that no mail system delivers to.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final Pattern CODE = Pattern.compile("^[A-Z][A-Z0-9_]*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String defaultPhoneRegion;
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

    /** @param defaultPhoneRegion ISO 3166 region for numbers written without a country code, or null */
    public FieldRules(String defaultPhoneRegion) {
        this.defaultPhoneRegion = defaultPhoneRegion == null || defaultPhoneRegion.isBlank()
                ? null : defaultPhoneRegion.trim().toUpperCase(Locale.ROOT);
    }

    public static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Trims; blank becomes null. */
    public static String clean(String value) {
        return isBlank(value) ? null : value.trim();
    }

    public String text(Violations v, String field, String value, int maxLength, boolean required) {
        if (value != null && !storable(value)) {
            // checked before trimming, which would silently drop a NUL at either end
            v.add(field, "INVALID_CHARACTERS", field + " must not contain NUL characters or broken surrogate pairs.");
            return null;
        }
        String cleaned = clean(value);
        if (cleaned == null) {
            if (required) {
                v.add(field, "REQUIRED", field + " is required.");
            }
            return null;
        }
        if (cleaned.length() > maxLength) {
            v.add(field, "TOO_LONG", field + " must be at most " + maxLength + " characters.");
        }
        return cleaned;
    }

    /** Lower-cased and trimmed, so that the same mailbox always matches itself. */
    public String email(Violations v, String field, String value, boolean required) {
        String cleaned = text(v, field, value, MAX_EMAIL, required);
        if (cleaned == null) {
            return null;
        }
        if (!EMAIL.matcher(cleaned).matches()) {
            v.add(field, "INVALID_EMAIL", "Email must be a valid email address.");
            return null;
        }
        return cleaned.toLowerCase(Locale.ROOT);
    }

    public String phone(Violations v, String field, String value) {
        String cleaned = clean(value);
        if (cleaned == null) {
            return null;
        }
        try {
            String candidate = cleaned.startsWith("00") ? "+" + cleaned.substring(2) : cleaned;
            String region = candidate.startsWith("+") ? null : defaultPhoneRegion;
            if (!candidate.startsWith("+") && region == null) {
                throw new NumberParseException(NumberParseException.ErrorType.INVALID_COUNTRY_CODE, "no region");
            }
            Phonenumber.PhoneNumber parsed = phones.parse(candidate, region);
            if (!phones.isValidNumber(parsed)) {
                throw new NumberParseException(NumberParseException.ErrorType.NOT_A_NUMBER, "invalid");
            }
            return phones.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            v.add(field, "INVALID_PHONE",
                    "Phone must be a valid number in international form, e.g. +14155552671.");
            return null;
        }
    }

    /** An upper-case code such as a referral type: letters, digits and underscores. */
    public String code(Violations v, String field, String value, String invalidCode) {
        String cleaned = clean(value);
        if (cleaned == null) {
            return null;
        }
        String upper = cleaned.toUpperCase(Locale.ROOT);
        if (upper.length() > MAX_CODE || !CODE.matcher(upper).matches()) {
            v.add(field, invalidCode, field + " must be letters, digits and underscores, at most " + MAX_CODE + ".");
            return null;
        }
        return upper;
    }

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$");
    public static final int MAX_URL = 2000;

    /** A public name in a URL: lower-case letters, digits and inner hyphens, at most 64. */
    public String slug(Violations v, String field, String value, boolean required) {
        String cleaned = text(v, field, value, 64, required);
        if (cleaned == null) {
            return null;
        }
        String lower = cleaned.toLowerCase(Locale.ROOT);
        if (!SLUG.matcher(lower).matches()) {
            v.add(field, "INVALID_SLUG", field + " must be lower-case letters, digits and inner hyphens, at most 64.");
            return null;
        }
        return lower;
    }

    /** An absolute http(s) URL. */
    public String url(Violations v, String field, String value) {
        String cleaned = text(v, field, value, MAX_URL, false);
        if (cleaned == null) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(cleaned);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return cleaned;
            }
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        v.add(field, "INVALID_URL", field + " must be an absolute http or https URL.");
        return null;
    }

    /** A whole number within bounds; null gives {@code fallback}. */
    public int range(Violations v, String field, Integer value, int min, int max, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            v.add(field, "OUT_OF_RANGE", field + " must be between " + min + " and " + max + ".");
            return fallback;
        }
        return value;
    }

    /** A list of enumeration names, upper-cased and without repeats; null gives an empty list. */
    public <E extends Enum<E>> java.util.List<E> oneOfEach(Violations v, String field, java.util.List<String> values,
                                                          Class<E> type, String unknownCode) {
        if (values == null) {
            return java.util.List.of();
        }
        java.util.LinkedHashSet<E> out = new java.util.LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            E e = oneOf(v, field + "[" + i + "]", values.get(i), type, null, unknownCode);
            if (e != null) {
                out.add(e);
            }
        }
        return java.util.List.copyOf(out);
    }

    /** A list of codes (see {@link #code}), without repeats; null gives an empty list. */
    public java.util.List<String> codes(Violations v, String field, java.util.List<String> values, String invalidCode) {
        if (values == null) {
            return java.util.List.of();
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String c = code(v, field + "[" + i + "]", values.get(i), invalidCode);
            if (c != null) {
                out.add(c);
            } else if (isBlank(values.get(i))) {
                v.add(field + "[" + i + "]", "REQUIRED", field + " must not hold blank values.");
            }
        }
        return java.util.List.copyOf(out);
    }

    public <E extends Enum<E>> E oneOf(Violations v, String field, String value, Class<E> type,
                                       E fallback, String unknownCode) {
        String cleaned = clean(value);
        if (cleaned == null) {
            if (fallback == null) {
                v.add(field, "REQUIRED", field + " is required.");
            }
            return fallback;
        }
        try {
            return Enum.valueOf(type, cleaned.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.add(field, unknownCode, field + " '" + cleaned + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()) + ".");
            return null;
        }
    }

    /**
     * An exact, non-negative amount with its currency. The amount may not carry more decimals than the
     * currency has (USD 10.001 is refused), so that no cent is ever rounded away silently.
     */
    public Money money(Violations v, String amountField, BigDecimal amount, String currencyField, String currency,
                       boolean required) {
        if (amount == null) {
            if (required) {
                v.add(amountField, "REQUIRED", amountField + " is required.");
            }
            if (!isBlank(currency)) {
                currency(v, currencyField, currency);
            }
            return null;
        }
        boolean ok = true;
        if (amount.signum() < 0) {
            v.add(amountField, "NEGATIVE_VALUE", amountField + " must be at least 0.");
            ok = false;
        } else if (amount.compareTo(MAX_AMOUNT) > 0) {
            v.add(amountField, "TOO_LARGE", amountField + " must be below 10^15.");
            ok = false;
        }
        if (isBlank(currency)) {
            v.add(currencyField, "REQUIRED", currencyField + " is required with " + amountField + ".");
            return null;
        }
        Currency c = currency(v, currencyField, currency);
        if (c == null) {
            return null;
        }
        int digits = Math.max(c.getDefaultFractionDigits(), 0);
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > digits) {
            v.add(amountField, "TOO_PRECISE", amountField + " has more decimals than " + c.getCurrencyCode() + " allows (" + digits + ").");
            ok = false;
        }
        return ok ? new Money(amount.setScale(Math.max(digits, 0), java.math.RoundingMode.UNNECESSARY), c.getCurrencyCode()) : null;
    }

    private Currency currency(Violations v, String field, String value) {
        String code = value.trim().toUpperCase(Locale.ROOT);
        try {
            if (code.length() == 3) {
                return Currency.getInstance(code);
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        v.add(field, "INVALID_CURRENCY", field + " must be an ISO 4217 code such as USD.");
        return null;
    }

    /**
     * PostgreSQL text cannot hold NUL, and UTF-8 cannot encode half a surrogate pair (it would be stored as
     * '?'): such strings are refused rather than changed.
     */
    public static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasNul(Object value) {
        if (value instanceof String s) {
            return !storable(s);
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> hasNul(e.getKey()) || hasNul(e.getValue()));
        }
        if (value instanceof java.util.Collection<?> list) {
            return list.stream().anyMatch(FieldRules::hasNul);
        }
        return false;
    }

    /** A JSON object of free-form data, bounded so that nobody stores documents in the ledger. */
    public Map<String, Object> metadata(Violations v, String field, Map<String, Object> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        try {
            String text = JSON.writeValueAsString(metadata);
            if (hasNul(metadata)) {
                // PostgreSQL's jsonb cannot hold NUL; refuse it here rather than break the projection
                v.add(field, "INVALID_CHARACTERS", field + " must not contain NUL characters or broken surrogate pairs.");
                return null;
            }
            int size = text.getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_METADATA_BYTES) {
                v.add(field, "TOO_LARGE", field + " must be at most " + MAX_METADATA_BYTES + " bytes of JSON.");
                return null;
            }
        } catch (JsonProcessingException e) {
            v.add(field, "INVALID_JSON", field + " must be a JSON object.");
            return null;
        }
        return metadata;
    }
}
