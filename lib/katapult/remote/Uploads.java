package katapult.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import katapult.transport.Shell;
import katapult.transport.ShellQuote;
import katapult.util.TransferMeter;

/**
 * Content-addressed uploads: one round trip learns which files an instance has, only the missing ones travel.
 *
 * <p>Stored files are read-only (runs share them through hard links, see templates/deploy.sh): a stored file found
 * writable is one whose mode was changed after it was stored, whose content can then no longer be trusted, so it
 * counts as missing and is sent again (landing by an atomic rename as a new file, which the runs already holding
 * the old one keep).
 */
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
        String listing = shell.exec(listCommand(layout), null, Duration.ofMinutes(1))
                .orThrow("listing uploaded files on " + shell.describe()).stdout();
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
        if (!missing.isEmpty()) {
            shell.exec(readOnlyCommand(layout, new ArrayList<>(missing.keySet())), null, Duration.ofMinutes(1))
                    .orThrow("making uploaded files read-only on " + shell.describe());
        }
        return missing.size();
    }

    /** The store's read-only files, one name a line (a writable one is sent again). */
    static String listCommand(RemoteLayout layout) {
        return "mkdir -p " + layout.filesWord() + " && find " + layout.filesWord()
                + " -maxdepth 1 -type f ! -perm /222 -printf '%f\\n'";
    }

    static String readOnlyCommand(RemoteLayout layout, List<String> shas) {
        StringBuilder line = new StringBuilder("cd ").append(layout.filesWord()).append(" && chmod a-w --");
        shas.forEach(sha -> line.append(' ').append(ShellQuote.quote(sha)));
        return line.toString();
    }
}
