package katapult.maestro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import katapult.transport.Shell;
import katapult.transport.ShellQuote;
import katapult.util.Hashes;

/**
 * Sends what the maestro needs over one shell, each part idempotent so that a hand-off run again after a crash
 * sends only what is missing: jars by content hash, files whose hash differs, the state only while the maestro has
 * none (once it runs, its state is the truth), private files with mode 0600.
 */
final class Shipper {

    private static final Duration SHORT = Duration.ofMinutes(2);

    private final Shell shell;
    private final MaestroFolder folder;

    Shipper(Shell shell, MaestroFolder folder) {
        this.shell = shell;
        this.folder = folder;
    }

    /** Sends the jars the maestro lacks and writes its class path; returns how many were sent. */
    int jars(List<ClassPathJars.Jar> jars, String remoteHome) throws IOException {
        String listing = shell.exec("ls -1 " + MaestroFolder.word(folder.jars()), null, SHORT)
                .orThrow("listing the maestro's jars").stdout();
        Set<String> present = Arrays.stream(listing.split("\n")).map(String::strip).collect(Collectors.toSet());
        int sent = 0;
        for (ClassPathJars.Jar jar : jars) {
            if (!present.contains(jar.sha() + ".jar")) {
                shell.put(jar.file(), folder.jar(jar.sha()));
                sent++;
            }
        }
        String classPath = jars.stream().map(j -> remoteHome + "/" + folder.jar(j.sha()))
                .distinct().collect(Collectors.joining(":"));
        write(folder.root() + "/classpath", classPath, false);
        return sent;
    }

    /** Sends every file whose content the maestro does not have at its place yet; returns how many were sent. */
    int files(Map<String, Path> byRelative) throws IOException {
        if (byRelative.isEmpty()) {
            return 0;
        }
        Map<String, String> remote = remoteHashes(byRelative.keySet());
        int sent = 0;
        for (Map.Entry<String, Path> file : byRelative.entrySet()) {
            if (!Hashes.ofFile(file.getValue()).equals(remote.get(file.getKey()))) {
                shell.put(file.getValue(), folder.file(file.getKey()));
                sent++;
            }
        }
        return sent;
    }

    private Map<String, String> remoteHashes(Set<String> relative) throws IOException {
        String command = "cd " + MaestroFolder.word(folder.root() + "/work/files") + " 2>/dev/null && sha256sum -- "
                + ShellQuote.join(new ArrayList<>(relative)) + " 2>/dev/null; true";
        Map<String, String> hashes = new HashMap<>();
        for (String line : shell.exec(command, null, SHORT).stdout().split("\n")) {
            int gap = line.indexOf("  ");
            if (gap == 64) {
                hashes.put(line.substring(gap + 2), line.substring(0, gap));
            }
        }
        return hashes;
    }

    /**
     * Sends the project's state folder, {@code state.json} as {@code stateJson} (its paths made the maestro's; it
     * holds every save, so the journal beside it stays here),
     * unless the maestro has a state already; returns whether it was sent.
     */
    boolean stateOnce(Path stateDir, String stateJson, Set<String> leftOut) throws IOException {
        String stateFile = folder.state() + "/state.json";
        if (shell.exec("test -f " + MaestroFolder.word(stateFile), null, SHORT).ok()) {
            return false;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(stateDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String relative = stateDir.relativize(file).toString();
            String name = file.getFileName().toString();
            if (!leftOut.contains(name) && !name.endsWith(".part") && !name.endsWith(".old")
                    && !name.equals("state.json") && !name.equals("state.journal")) {
                shell.put(file, folder.state() + "/" + relative);
            }
        }
        shell.exec("chmod -R go-rwx " + MaestroFolder.word(folder.state()), null, SHORT)
                .orThrow("protecting the maestro's state");
        // state.json last: its presence says the state arrived whole
        write(stateFile, stateJson, true);
        return true;
    }

    /** Sends the files of {@code dir} (key pairs) under {@code remoteDir}, readable by the maestro's user alone. */
    void privateDir(Path dir, String remoteDir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                write(remoteDir + "/" + dir.relativize(file), Files.readString(file), true);
            }
        }
    }

    /** Writes {@code text} to {@code path} (under the remote home) through a temporary file renamed over it. */
    void write(String path, String text, boolean secret) throws IOException {
        String target = MaestroFolder.word(path);
        String partial = MaestroFolder.word(path + ".part");
        int slash = path.lastIndexOf('/');
        String command = (slash > 0 ? "mkdir -p " + MaestroFolder.word(path.substring(0, slash)) + " && " : "")
                + (secret ? "(umask 077 && cat > " + partial + ")" : "cat > " + partial)
                + " && mv -f " + partial + " " + target;
        shell.exec(command, text, SHORT).orThrow("writing " + path + " on the maestro");
    }
}
