package katapult.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import katapult.transport.Shell;

/** Content-addressed uploads: one round trip learns which files an instance has, only the missing ones travel. */
public final class Uploads {

    private Uploads() {
    }

    /** Sends every file of {@code bySha} (sha256 → local file) the instance lacks; returns how many were sent. */
    public static int send(Shell shell, RemoteLayout layout, Map<String, Path> bySha) throws IOException {
        if (bySha.isEmpty()) {
            return 0;
        }
        // the store may be shared by hosts of one home: put() lands each file by an atomic rename
        String listing = shell.exec("mkdir -p " + layout.filesWord() + " && ls -1 " + layout.filesWord(),
                null, Duration.ofMinutes(1)).orThrow("listing uploaded files on " + shell.describe()).stdout();
        Set<String> present = Arrays.stream(listing.split("\n")).map(String::strip).collect(Collectors.toSet());
        int sent = 0;
        for (Map.Entry<String, Path> file : bySha.entrySet()) {
            if (!present.contains(file.getKey())) {
                shell.put(file.getValue(), layout.file(file.getKey()));
                sent++;
            }
        }
        return sent;
    }
}
