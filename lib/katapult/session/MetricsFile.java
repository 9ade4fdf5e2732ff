package katapult.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a run's metrics file: a flat JSON object (numbers, strings, booleans, null) or, for a {@code .csv} name, a
 * header line and one row. The fields keep their order. A file that is neither gives a {@link Bad} naming why, so
 * its run only gets empty cells.
 */
final class MetricsFile {

    /** The most bytes read: a metrics file is a summary, not a data set. */
    static final long MAX_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsFile() {
    }

    /** Why a metrics file could not be read. */
    static final class Bad extends Exception {
        Bad(String why) {
            super(why);
        }
    }

    /** The fields of {@code file} as text, in file order. */
    static Map<String, String> read(Path file) throws Bad {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new Bad("it is missing");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new Bad("it is larger than " + MAX_BYTES + " bytes");
            }
            text = Files.readString(file);
        } catch (IOException e) {
            throw new Bad("it cannot be read: " + e.getMessage());
        }
        return file.getFileName().toString().toLowerCase().endsWith(".csv") ? csv(text) : json(text);
    }

    private static Map<String, String> json(String text) throws Bad {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Bad("it is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Bad("it is not a JSON object");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isContainerNode()) {
                throw new Bad("field '" + e.getKey() + "' is not a number, string or boolean");
            }
            fields.put(e.getKey(), v.isNull() ? "" : v.asText());
        }
        return fields;
    }

    private static Map<String, String> csv(String text) throws Bad {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() != 2) {
            throw new Bad("a CSV metrics file needs a header line and one row, it has " + lines.size() + " line(s)");
        }
        List<String> header = CsvText.split(lines.get(0));
        List<String> row = CsvText.split(lines.get(1));
        if (header.size() != row.size()) {
            throw new Bad("its header has " + header.size() + " fields and its row " + row.size());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (fields.put(header.get(i).strip(), row.get(i)) != null) {
                throw new Bad("its header names '" + header.get(i).strip() + "' twice");
            }
        }
        return fields;
    }
}
