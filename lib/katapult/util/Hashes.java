package katapult.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, mostly as lowercase hex: the identity of files, environments, jobs, key pairs and launch requests. */
public final class Hashes {

    private Hashes() {
    }

    /** The SHA-256 of a text's UTF-8 bytes, in hex. */
    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of some bytes, in hex. */
    public static String of(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    /** The SHA-256 of a file's content, in hex, read in chunks (files may be large). */
    public static String ofFile(Path file) {
        MessageDigest digest = digest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The raw SHA-256 of some bytes, for callers that encode it otherwise (OpenSSH's base64 fingerprints). */
    public static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
