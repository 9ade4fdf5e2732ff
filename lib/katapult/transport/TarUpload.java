package katapult.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import katapult.util.TransferMeter;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Many files sent in one stream: a tar written into one command's standard input, unpacked on the other side into a
 * private folder beside the target and renamed into place, so that a reader there never sees part of a file, and only
 * once the whole stream came (its last entry says so), so that a sending cut short stores nothing. One round trip whatever the number of files, at the speed of the channel (an SFTP write waits for its
 * acknowledgements, and opens, closes and renames every file in round trips of its own).
 */
final class TarUpload {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final int CHUNK = 256 * 1024;
    /** The stream's last entry: a sender cut short (a local file unreadable) leaves it out, and nothing is stored. */
    static final String COMPLETE = ".complete";

    private TarUpload() {
    }

    /** The bash command that receives the tar into {@code remoteFolder} (relative to the home, or absolute). */
    static String command(String remoteFolder) {
        return "d=" + ShellQuote.homePath(remoteFolder) + "\n"
                + "mkdir -p -- \"$d\" && t=$(mktemp -d -- \"$d/.receiving.XXXXXX\") || exit 1\n"
                + "trap 'rm -rf -- \"$t\"' EXIT\n"
                + "tar -x --no-same-owner --no-same-permissions -f - -C \"$t\" || exit 1\n"
                + "[[ -f $t/" + COMPLETE + " ]] || { echo 'the stream of files ended early: nothing stored' >&2; exit 1; }\n"
                + "find \"$t\" -mindepth 1 -maxdepth 1 -type f ! -name '.*' -exec mv -f -t \"$d\" -- {} +\n";
    }

    /** Checks that every name is a plain file name, before anything is sent. */
    static void checkNames(Map<String, Path> files) {
        for (String name : files.keySet()) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("cannot send a file under the name '" + name
                        + "': a plain file name is needed");
            }
        }
    }

    /**
     * Writes {@code files} as a tar to {@code stdin}, counting into {@code meter}. A failure to read a local file is
     * an {@link UncheckedIOException}, told apart from a failure of the stream written to.
     */
    static void write(Map<String, Path> files, OutputStream stdin, TransferMeter meter) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(stdin);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        byte[] buffer = new byte[CHUNK];
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Path local = file.getValue();
            try (InputStream in = local(() -> Files.newInputStream(local), local)) {
                long size = local(() -> Files.size(local), local);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(size);
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                long sent = 0;
                int n;
                while (sent < size && (n = local(() -> in.read(buffer, 0, buffer.length), local)) > 0) {
                    int take = (int) Math.min(n, size - sent);
                    tar.write(buffer, 0, take);
                    sent += take;
                    meter.add(take);
                }
                if (sent < size || local(in::read, local) >= 0) {
                    throw new UncheckedIOException(new IOException(local + " changed while it was being sent"));
                }
                tar.closeArchiveEntry();
            }
        }
        TarArchiveEntry complete = new TarArchiveEntry(COMPLETE);
        complete.setSize(0);
        tar.putArchiveEntry(complete);
        tar.closeArchiveEntry();
        tar.finish();
        tar.flush();
    }

    private interface LocalIo<T> {
        T run() throws IOException;
    }

    private static <T> T local(LocalIo<T> io, Path file) {
        try {
            return io.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
