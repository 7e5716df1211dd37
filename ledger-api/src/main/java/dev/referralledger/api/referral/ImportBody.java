package dev.referralledger.api.referral;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An import's body split into items before anything is imported: where each item lies in the body and its
 * idempotency key, without building the items. A body that is not a JSON array at all, or holds more than
 * {@link #MAX_ITEMS} items, is refused as a whole; a broken NDJSON line is one failed item, since the lines
 * around it stand on their own.
 */
final class ImportBody {

    static final int MAX_ITEMS = 10_000;
    static final String KEY_FIELD = "idempotencyKey";

    enum Format { JSON_ARRAY, NDJSON }

    /** What is wrong with an item as a whole, found while splitting. */
    enum Flaw { MALFORMED_JSON, NOT_AN_OBJECT }

    /**
     * @param key    the item's idempotency key as written (any scalar, as Jackson would read it into a String)
     * @param person the referred person as far as the item names them (email, else phone digits), or null: items
     *               naming the same person are imported in the order given, so the first keeps the credit
     * @param flaw   null when the item is a JSON object
     */
    record Item(int start, int end, String key, String person, Flaw flaw) {
    }

    /** What splitting reads of an object: its key and whom it refers. */
    private record Scan(String key, String person) {
    }

    /** The body is refused as a whole: nothing was imported. */
    static final class Refused extends RuntimeException {
        final String code;
        final String field;

        Refused(String code, String field, String message) {
            super(message, null, false, false);
            this.code = code;
            this.field = field;
        }
    }

    private ImportBody() {
    }

    static List<Item> split(byte[] body, Format format, JsonFactory json) {
        return format == Format.NDJSON ? lines(body, json) : array(body, json);
    }

    private static List<Item> array(byte[] body, JsonFactory json) {
        List<Item> items = new ArrayList<>();
        try (JsonParser p = json.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new Refused("MISSING_BODY", null, "A JSON array of referrals is required.");
            }
            if (t != JsonToken.START_ARRAY) {
                throw new Refused("MALFORMED_JSON", null,
                        "The body must be a JSON array of referrals (or NDJSON sent as application/x-ndjson).");
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                requireRoom(items);
                int start = (int) p.currentTokenLocation().getByteOffset();
                if (t == JsonToken.START_OBJECT) {
                    Scan scan = scan(p);
                    items.add(new Item(start, (int) p.currentLocation().getByteOffset(), scan.key(), scan.person(), null));
                } else {
                    p.skipChildren();
                    items.add(new Item(start, start, null, null, Flaw.NOT_AN_OBJECT));
                }
            }
            if (p.nextToken() != null) {
                throw new Refused("MALFORMED_JSON", null, "The body must hold nothing after the array.");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new Refused("MALFORMED_JSON", null, "The body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + "; nothing was imported.");
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array", e);
        }
        return items;
    }

    /** One item per non-blank line; a line that is not one JSON object is a failed item. */
    private static List<Item> lines(byte[] body, JsonFactory json) {
        List<Item> items = new ArrayList<>();
        int lineStart = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i < body.length && body[i] != '\n') {
                continue;
            }
            int start = lineStart;
            int end = i;
            lineStart = i + 1;
            while (start < end && isBlank(body[start])) {
                start++;
            }
            while (end > start && isBlank(body[end - 1])) {
                end--;
            }
            if (start == end) {
                continue;
            }
            requireRoom(items);
            items.add(line(body, start, end, json));
        }
        return items;
    }

    private static Item line(byte[] body, int start, int end, JsonFactory json) {
        try (JsonParser p = json.createParser(body, start, end - start)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Item(start, end, null, null, Flaw.NOT_AN_OBJECT);
            }
            Scan scan = scan(p);
            return p.nextToken() == null ? new Item(start, end, scan.key(), scan.person(), null)
                    : new Item(start, end, null, null, Flaw.MALFORMED_JSON);
        } catch (JsonProcessingException e) {
            return new Item(start, end, null, null, Flaw.MALFORMED_JSON);
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array", e);
        }
    }

    /** Reads an object's fields up to its end, keeping only the idempotency key and the referred person. */
    private static Scan scan(JsonParser p) throws IOException {
        String key = null;
        String person = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (KEY_FIELD.equals(name)) {
                key = value.isScalarValue() && value != JsonToken.VALUE_NULL ? p.getText() : null;
                p.skipChildren();
            } else if ("referred".equals(name) && value == JsonToken.START_OBJECT) {
                person = person(p);
            } else {
                p.skipChildren();
            }
        }
        return new Scan(key, person);
    }

    /** The referred person's email (lower case), else the digits of their phone. */
    private static String person(JsonParser p) throws IOException {
        String email = null;
        String phone = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && "email".equals(name)) {
                email = p.getText().trim().toLowerCase(Locale.ROOT);
            } else if (value == JsonToken.VALUE_STRING && "phone".equals(name)) {
                phone = p.getText().replaceAll("[^0-9]", "");
            } else {
                p.skipChildren();
            }
        }
        return email != null && !email.isEmpty() ? email : phone != null && !phone.isEmpty() ? phone : null;
    }

    private static void requireRoom(List<Item> items) {
        if (items.size() == MAX_ITEMS) {
            throw new Refused("TOO_MANY", "items", "An import holds at most " + MAX_ITEMS + " referrals; split it.");
        }
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
