package katapult.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lines fetch.sh writes before its tar: what it did not pack and why, the runs it left to a later batch, and
 * the requests it packed under another name (reached through a link inside the run's folder). Read straight off the
 * stream, so the tar that follows is left unread for its reader.
 *
 * @param skipped  request ({@code <rid>/<name>}) → why it was not packed
 * @param later    runs left to a later batch
 * @param aliases  name in the tar → the requests it answers
 * @param bytes    the size of the files packed, or -1 when the instance did not say
 */
public record FetchManifest(Map<String, String> skipped, Set<String> later, Map<String, List<String>> aliases,
                            long bytes) {

    private static final int MAX_LINE = 64 * 1024;

    /**
     * Reads the manifest up to its closing {@code tar} line, from a stream that is known to end or say {@code tar}
     * after at most {@code maxLines} lines; anything else is refused as a garbled answer.
     */
    public static FetchManifest read(InputStream in, int maxLines) throws IOException {
        Map<String, String> skipped = new LinkedHashMap<>();
        Set<String> later = new HashSet<>();
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        long bytes = -1;
        for (int count = 0; ; count++) {
            String line = line(in);
            if (line == null) {
                throw new IOException("the fetch answer ended before its file list was complete");
            }
            if (line.equals("tar")) {
                return new FetchManifest(skipped, later, aliases, bytes);
            }
            if (line.startsWith("bytes\t") && bytes < 0) {
                bytes = size(line);
                count--;   // one line besides those the requests allow
                continue;
            }
            if (count >= maxLines) {
                throw new IOException("the fetch answer has more lines than the runs asked for");
            }
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "skip" -> skipped.put(field(f, 1, 3, line), f[2]);
                case "later" -> later.add(field(f, 1, 2, line));
                case "as" -> aliases.computeIfAbsent(field(f, 1, 3, line), k -> new ArrayList<>()).add(f[2]);
                default -> throw garbled(line);
            }
        }
    }

    private static long size(String line) throws IOException {
        String digits = line.substring("bytes\t".length());
        if (!digits.matches("[0-9]{1,18}")) {
            throw garbled(line);
        }
        return Long.parseLong(digits);
    }

    /** Field {@code index} of a line that must have exactly {@code count} fields. */
    private static String field(String[] fields, int index, int count, String line) throws IOException {
        if (fields.length != count || fields[index].isEmpty()) {
            throw garbled(line);
        }
        return fields[index];
    }

    private static IOException garbled(String line) {
        return new IOException("the fetch answer has a line outside the protocol: '"
                + line.replaceAll("\\p{Cntrl}", "?") + "'");
    }

    /** One line without its newline, or null at the end of the stream. Reads byte by byte: the tar follows. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return bytes.toString(StandardCharsets.UTF_8);
            }
            if (bytes.size() >= MAX_LINE) {
                throw new IOException("the fetch answer has a line longer than " + MAX_LINE + " bytes");
            }
            bytes.write(b);
        }
    }
}
