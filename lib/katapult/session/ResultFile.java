package katapult.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes one fetched file into the results: whole or not at all (a {@code .part} file renamed into place), with
 * runs of zeros left as holes, so a huge sparse output takes little room here either. A failure of this machine's
 * disk is a {@link ResultsUnwritableException} naming the file and the cause, told apart from a failure of the stream
 * it reads from, which is the instance's.
 */
final class ResultFile {

    private static final int CHUNK = 256 * 1024;
    private static final byte[] ZEROS = new byte[CHUNK];

    private ResultFile() {
    }

    /** Copies {@code in} (to its end) into {@code target}. */
    static void write(InputStream in, Path target) throws IOException {
        makeFolder(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        boolean done = false;
        try {
            copy(in, partial);
            local(() -> Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE), target);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(partial);
            }
        }
    }

    /** Copies a file already fetched (one tar entry that answers several requests). */
    static void copy(Path from, Path target) throws IOException {
        makeFolder(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        local(() -> {
            Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }, target);
    }

    /** Creates {@code folder} and its parents, saying what is in the way when that fails. */
    static void makeFolder(Path folder) throws IOException {
        local(() -> {
            for (Path p = folder; p != null; p = p.getParent()) {
                if (Files.exists(p) && !Files.isDirectory(p)) {
                    throw new NotDirectoryException(p + " is a file, where a folder is needed");
                }
            }
            Files.createDirectories(folder);
        }, folder);
    }

    private static void copy(InputStream in, Path partial) throws IOException {
        byte[] buffer = new byte[CHUNK];
        try (FileChannel out = local(() -> FileChannel.open(partial, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), partial)) {
            long position = 0;
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                if (Arrays.mismatch(buffer, 0, n, ZEROS, 0, n) >= 0) {
                    writeAt(out, ByteBuffer.wrap(buffer, 0, n), position, partial);
                }
                position += n;
            }
            if (position > 0 && local(out::size, partial) < position) {
                writeAt(out, ByteBuffer.wrap(new byte[1]), position - 1, partial);   // a file that ends in a hole
            }
        }
    }

    private static void writeAt(FileChannel out, ByteBuffer bytes, long position, Path file) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            long from = at;
            at += local(() -> out.write(bytes, from), file);
        }
    }

    /** A local file operation. */
    private interface LocalIo<T> {
        T run() throws IOException;
    }

    /** A local file operation without a value. */
    private interface LocalStep {
        void run() throws IOException;
    }

    private static void local(LocalStep step, Path file) throws IOException {
        local(() -> {
            step.run();
            return null;
        }, file);
    }

    private static <T> T local(LocalIo<T> io, Path file) throws IOException {
        try {
            return io.run();
        } catch (ResultsUnwritableException e) {
            throw e;
        } catch (IOException e) {
            throw new ResultsUnwritableException("cannot write " + file + ": " + reason(e), e);
        }
    }

    /** What went wrong, in words: the JDK often says only the path. */
    private static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return e.getMessage() + " is a file, where a folder is needed";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
