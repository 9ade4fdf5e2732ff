package katapult.remote;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a tar stream (ustar, with GNU long names and pax {@code path} records), as an instance's {@code tar -c} writes
 * it. Names are handed over as the archive says them: the caller checks each before anything touches the disk.
 */
public final class TarReader {

    private static final int BLOCK = 512;

    /** What to do with each regular file of the archive. */
    public interface Entries {
        /** Where {@code name}'s bytes go, or null to skip it; the stream is closed by the reader. */
        OutputStream open(String name, long size) throws IOException;

        /** An entry that is not a regular file (directory, link, device): never written. */
        default void skipped(String name, char type) throws IOException {
        }
    }

    private TarReader() {
    }

    public static void read(InputStream in, Entries entries) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (true) {
            if (!fill(in, header)) {
                return;   // end of stream without end blocks: what was complete is kept
            }
            if (allZero(header)) {
                return;
            }
            checkSum(header);
            char type = (char) (header[156] == 0 ? '0' : header[156]);
            long size = octal(header, 124, 12);
            String name = longName != null ? longName : name(header);
            longName = null;
            switch (type) {
                case 'L' -> longName = trimNul(new String(readData(in, size), StandardCharsets.UTF_8));
                case 'x' -> longName = paxPath(new String(readData(in, size), StandardCharsets.UTF_8));
                case 'g' -> skipData(in, size);
                case '0', '7' -> {
                    OutputStream out = entries.open(name, size);
                    copyData(in, size, out);
                }
                default -> {
                    entries.skipped(name, type);
                    skipData(in, size);
                }
            }
        }
    }

    private static String name(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(String records) {
        String path = null;
        int i = 0;
        while (i < records.length()) {
            int space = records.indexOf(' ', i);
            if (space < 0) {
                break;
            }
            int length;
            try {
                length = Integer.parseInt(records.substring(i, space));
            } catch (NumberFormatException e) {
                break;
            }
            if (length <= 0 || i + length > records.length()) {
                break;
            }
            String record = records.substring(space + 1, i + length - 1);
            if (record.startsWith("path=")) {
                path = record.substring(5);
            }
            i += length;
        }
        return path;
    }

    private static void copyData(InputStream in, long size, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * BLOCK];
        long left = size;
        try (OutputStream target = out) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("tar stream cut short");
                }
                if (target != null) {
                    target.write(buffer, 0, n);
                }
                left -= n;
            }
        }
        skipPadding(in, size);
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar header record of " + size + " bytes: refused");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException("tar stream cut short");
        }
        skipPadding(in, size);
        return data;
    }

    private static void skipData(InputStream in, long size) throws IOException {
        copyData(in, size, null);
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        if (in.readNBytes((int) pad).length != pad) {
            throw new EOFException("tar stream cut short");
        }
    }

    private static boolean fill(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read < BLOCK) {
            throw new EOFException("tar stream cut short");
        }
        return true;
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkSum(byte[] header) throws IOException {
        long expected = octal(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (sum != expected) {
            throw new IOException("not a tar stream (bad header checksum)");
        }
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        String text = field(header, offset, length).trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a tar stream (bad number '" + text + "')");
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }
}
