package katapult.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import katapult.transport.Shell;
import katapult.transport.ShellQuote;

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
        if (bySha.isEmpty()) {
            return 0;
        }
        // the store may be shared by hosts of one home: put() lands each file by an atomic rename
        String listing = shell.exec(listCommand(layout), null, Duration.ofMinutes(1))
                .orThrow("listing uploaded files on " + shell.describe()).stdout();
        Set<String> present = Arrays.stream(listing.split("\n")).map(String::strip).collect(Collectors.toSet());
        List<String> sent = new ArrayList<>();
        for (Map.Entry<String, Path> file : bySha.entrySet()) {
            if (!present.contains(file.getKey())) {
                shell.put(file.getValue(), layout.file(file.getKey()));
                sent.add(file.getKey());
            }
        }
        if (!sent.isEmpty()) {
            shell.exec(readOnlyCommand(layout, sent), null, Duration.ofMinutes(1))
                    .orThrow("making uploaded files read-only on " + shell.describe());
        }
        return sent.size();
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
