package katapult.dsl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import katapult.config.ConfigForm;
import katapult.config.Located;
import katapult.config.RawMap;

/**
 * A config's raw tree ({@link RawMap}, every value with its line) as JSON and back, each value keeping its exact
 * type: the binder's messages name types ({@code 1.5 (BigDecimal)}), so a {@code Long} must come back a {@code Long}.
 * Strings, booleans and ints are JSON's own; other numbers and durations are tagged objects; a run of consecutive
 * ints on one line (a sweep over {@code 1..50000}) is one range. A tree holding any other value (a closure, a
 * Groovy duration) has no encoding, and is not cached.
 */
final class RawCodec {

    /** The tree as read back: its form and its root block. */
    record Decoded(ConfigForm form, RawMap root) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final int FORMAT = 1;

    private RawCodec() {
    }

    /** The tree as JSON bytes, or empty when it holds a value without an encoding. */
    static Optional<byte[]> encode(ConfigForm form, RawMap root) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeNumberField("format", FORMAT);
            out.writeStringField("form", form.name());
            out.writeFieldName("root");
            writeMap(out, root);
            out.writeEndObject();
        } catch (Unencodable e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(bytes.toByteArray());
    }

    /** The tree of {@link #encode}'s bytes, or empty when they are not such a tree (a torn or older entry). */
    static Optional<Decoded> decode(byte[] bytes) {
        try (JsonParser in = JSON.createParser(bytes)) {
            expect(in.nextToken(), JsonToken.START_OBJECT);
            int format = 0;
            ConfigForm form = null;
            RawMap root = null;
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                in.nextToken();
                switch (field) {
                    case "format" -> format = in.getIntValue();
                    case "form" -> form = ConfigForm.valueOf(in.getText());
                    case "root" -> root = readValue(in) instanceof RawMap map ? map : null;
                    default -> throw new IOException("unknown field " + field);
                }
            }
            if (format != FORMAT || form == null || root == null || in.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of(new Decoded(form, root));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------- writing

    private static void writeMap(JsonGenerator out, RawMap map) throws IOException {
        out.writeStartObject();
        out.writeNumberField("map", map.line());
        out.writeArrayFieldStart("keys");
        for (String key : map.keys()) {
            Located value = map.get(key);
            out.writeStartArray();
            out.writeString(key);
            out.writeNumber(value.line());
            writeValue(out, value.value());
            out.writeEndArray();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void writeList(JsonGenerator out, List<?> items) throws IOException {
        out.writeStartObject();
        out.writeArrayFieldStart("list");
        int i = 0;
        while (i < items.size()) {
            Located item = located(items.get(i));
            int end = rangeEnd(items, i);
            if (end - i >= 3) {
                out.writeStartObject();
                out.writeArrayFieldStart("ints");
                out.writeNumber(item.line());
                out.writeNumber((Integer) item.value());
                out.writeNumber(end - i);
                out.writeEndArray();
                out.writeEndObject();
                i = end;
            } else {
                out.writeStartArray();
                out.writeNumber(item.line());
                writeValue(out, item.value());
                out.writeEndArray();
                i++;
            }
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** The end (exclusive) of the run of ints from {@code start} that go up by one on one line. */
    private static int rangeEnd(List<?> items, int start) {
        Located first = located(items.get(start));
        if (!(first.value() instanceof Integer from)) {
            return start + 1;
        }
        int end = start + 1;
        while (end < items.size() && items.get(end) instanceof Located next && next.line() == first.line()
                && next.value() instanceof Integer n && n == from + (end - start)) {
            end++;
        }
        return end;
    }

    private static Located located(Object item) {
        if (item instanceof Located l) {
            return l;
        }
        throw new Unencodable();
    }

    private static void writeValue(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String s) {
            out.writeString(s);
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof Integer n) {
            out.writeNumber(n);
        } else if (value instanceof RawMap map) {
            writeMap(out, map);
        } else if (value instanceof List<?> list) {
            writeList(out, list);
        } else {
            out.writeStartObject();
            out.writeStringField(tag(value), value.toString());
            out.writeEndObject();
        }
    }

    private static String tag(Object value) {
        if (value instanceof Long) {
            return "long";
        } else if (value instanceof BigInteger) {
            return "bigint";
        } else if (value instanceof BigDecimal) {
            return "decimal";
        } else if (value instanceof Double) {
            return "double";
        } else if (value instanceof Float) {
            return "float";
        } else if (value instanceof Duration) {
            return "duration";
        }
        throw new Unencodable();
    }

    // ------------------------------------------------------------------------------------------- reading

    private static Object readValue(JsonParser in) throws IOException {
        return switch (in.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> in.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> in.getIntValue();
            case START_OBJECT -> readObject(in);
            default -> throw new IOException("unexpected " + in.currentToken());
        };
    }

    /** A block, a list, or a tagged scalar: told by the object's first field. */
    private static Object readObject(JsonParser in) throws IOException {
        expect(in.nextToken(), JsonToken.FIELD_NAME);
        String tag = in.currentName();
        if (tag.equals("map")) {
            int line = in.nextIntValue(0);
            expectField(in, "keys");
            return readKeys(in, line);
        }
        if (tag.equals("list")) {
            expect(in.nextToken(), JsonToken.START_ARRAY);
            List<Located> items = readItems(in);
            expect(in.nextToken(), JsonToken.END_OBJECT);
            return items;
        }
        String text = in.nextTextValue();
        expect(in.nextToken(), JsonToken.END_OBJECT);
        return switch (tag) {
            case "long" -> Long.valueOf(text);
            case "bigint" -> new BigInteger(text);
            case "decimal" -> new BigDecimal(text);
            case "double" -> Double.valueOf(text);
            case "float" -> Float.valueOf(text);
            case "duration" -> Duration.parse(text);
            default -> throw new IOException("unknown tag " + tag);
        };
    }

    private static RawMap readKeys(JsonParser in, int line) throws IOException {
        RawMap map = new RawMap(line);
        expect(in.currentToken(), JsonToken.START_ARRAY);
        while (in.nextToken() == JsonToken.START_ARRAY) {
            in.nextToken();
            String key = in.getText();
            in.nextToken();
            int keyLine = in.getIntValue();
            in.nextToken();
            map.put(key, new Located(readValue(in), keyLine));
            expect(in.nextToken(), JsonToken.END_ARRAY);
        }
        expect(in.nextToken(), JsonToken.END_OBJECT);
        return map;
    }

    private static List<Located> readItems(JsonParser in) throws IOException {
        List<Located> items = new ArrayList<>();
        JsonToken token;
        while ((token = in.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_OBJECT) {
                expectField(in, "ints");
                expect(in.currentToken(), JsonToken.START_ARRAY);
                int line = in.nextIntValue(0);
                int from = in.nextIntValue(0);
                int count = in.nextIntValue(0);
                expect(in.nextToken(), JsonToken.END_ARRAY);
                expect(in.nextToken(), JsonToken.END_OBJECT);
                for (int k = 0; k < count; k++) {
                    items.add(new Located(from + k, line));
                }
            } else {
                expect(token, JsonToken.START_ARRAY);
                int line = in.nextIntValue(0);
                in.nextToken();
                items.add(new Located(readValue(in), line));
                expect(in.nextToken(), JsonToken.END_ARRAY);
            }
        }
        return items;
    }

    /** Moves to the next field, which must be {@code name}, and onto its value. */
    private static void expectField(JsonParser in, String name) throws IOException {
        expect(in.nextToken(), JsonToken.FIELD_NAME);
        if (!name.equals(in.currentName())) {
            throw new IOException("expected " + name + ", got " + in.currentName());
        }
        in.nextToken();
    }

    private static void expect(JsonToken token, JsonToken wanted) throws IOException {
        if (token != wanted) {
            throw new IOException("expected " + wanted + ", got " + token);
        }
    }

    /** A value the codec has no encoding for. */
    private static final class Unencodable extends RuntimeException {
        Unencodable() {
            super(null, null, false, false);
        }
    }
}
