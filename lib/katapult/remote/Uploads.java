package katapult.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import katapult.transport.Shell;
import katapult.util.TransferMeter;

/** Content-addressed uploads: one round trip learns which files an instance has, only the missing ones travel. */
public final class Uploads {

    private Uploads() {
    }

    /** Sends every file of {@code bySha} (sha256 → local file) the instance lacks; returns how many were sent. */
    public static int send(Shell shell, RemoteLayout layout, Map<String, Path> bySha) throws IOException {
        return send(shell, layout, bySha, progress -> { });
    }

    /**
     * Sends every file of {@code bySha} the instance lacks, in one stream, telling {@code progress} how a large
     * sending goes; returns how many were sent.
     */
    public static int send(Shell shell, RemoteLayout layout, Map<String, Path> bySha, Consumer<String> progress)
            throws IOException {
        if (bySha.isEmpty()) {
            return 0;
        }
        // the store may be shared by hosts of one home: put() lands each file by an atomic rename
        String listing = shell.exec("mkdir -p " + layout.filesWord() + " && ls -1 " + layout.filesWord(),
                null, Duration.ofMinutes(1)).orThrow("listing uploaded files on " + shell.describe()).stdout();
        Set<String> present = Arrays.stream(listing.split("\n")).map(String::strip).collect(Collectors.toSet());
        Map<String, Path> missing = new LinkedHashMap<>(bySha);
        missing.keySet().removeAll(present);
        TransferMeter meter = new TransferMeter("upload", progress);
        long total = 0;
        for (Path file : missing.values()) {
            total += Files.size(file);
        }
        meter.expect(total);
        shell.putAll(missing, layout.files(), meter);
        meter.done();
        return missing.size();
    }
}
