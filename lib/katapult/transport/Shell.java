package katapult.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import katapult.util.TransferMeter;

/**
 * How Katapult reaches one machine: run a bash command, send a file, fetch a file.
 * Remote paths are relative to the remote user's home folder. Implementations know nothing of Katapult.
 */
public interface Shell extends AutoCloseable {

    /** Runs {@code command} with bash; {@code stdin} (may be null) is fed to it. Never throws for a non-zero exit. */
    ExecResult exec(String command, String stdin, Duration timeout) throws IOException;

    default ExecResult exec(String command) throws IOException {
        return exec(command, null, Duration.ofMinutes(5));
    }

    /**
     * Runs {@code command} as {@link #exec} does, handing its standard output to {@code reader} while it runs, for
     * output too large to hold or to store on the remote side: the result's stdout is empty. The command is ended
     * when {@code reader} throws (the exception is rethrown), or when no byte came for {@code stall}.
     */
    ExecResult execReading(String command, String stdin, Duration stall, OutputReader reader) throws IOException;

    /** Consumes a command's standard output as it comes. */
    @FunctionalInterface
    interface OutputReader {
        void read(InputStream stdout) throws IOException;
    }

    /** Writes a command's standard input as it goes (a command run with a stream for its input). */
    @FunctionalInterface
    interface InputWriter {
        void write(OutputStream stdin) throws IOException;
    }

    /** Copies a local file to {@code remotePath} (relative to the remote home), replacing it. */
    void put(Path local, String remotePath) throws IOException;

    /**
     * Copies local files into {@code remoteFolder} (relative to the remote home), each under its name in
     * {@code files} (a plain file name), each replaced whole, counting the bytes sent into {@code meter}. A shell that
     * can send many files in one stream does so.
     */
    default void putAll(Map<String, Path> files, String remoteFolder, TransferMeter meter) throws IOException {
        for (Map.Entry<String, Path> file : files.entrySet()) {
            put(file.getValue(), remoteFolder + "/" + file.getKey());
            meter.add(Files.size(file.getValue()));
        }
    }

    /** Copies {@code remotePath} (relative to the remote home) to a local file, replacing it. */
    void get(String remotePath, Path local) throws IOException;

    /** A short human name for messages, e.g. {@code local:box-1} or {@code ubuntu@10.0.0.5}. */
    String describe();

    @Override
    void close();
}
