package katapult

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/**
 * Processes a spec left running in its temporary folder: agents, runs and set-ups are detached on purpose (they
 * outlive Katapult), so a spec that ends with one still alive must stop it before Spock deletes the folder, or the
 * agent's atomic renames race the deletion and the spec fails on a file that vanished.
 */
final class LeftoverProcesses {

    private LeftoverProcesses() {
    }

    /** Live processes whose HOME lies under {@code root}, pid → NUL-separated command line. */
    static Map<Long, String> under(Path root) {
        List<Path> roots = [root.toAbsolutePath().normalize(), root.toRealPath()].unique()
        Map<Long, String> found = [:]
        long self = ProcessHandle.current().pid()
        Files.list(Path.of('/proc')).withCloseable { procs ->
            procs.filter { it.fileName.toString().isLong() }.each { p ->
                long pid = p.fileName.toString() as long
                if (pid != self && !zombie(p) && homeUnder(p, roots)) {
                    String cmd = read(p.resolve('cmdline'))
                    if (cmd != null) {
                        found[pid] = cmd.endsWith('\0') ? cmd[0..-2] : cmd
                    }
                }
            }
        }
        found
    }

    /** Kills every process {@link #under} root and waits (10 s at most) until they are gone. */
    static void kill(Path root) {
        if (!Files.isDirectory(root)) {
            return
        }
        long deadline = System.nanoTime() + 10_000_000_000L
        Map<Long, String> left = under(root)
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            left.keySet().each { pid -> ProcessHandle.of(pid).ifPresent { it.destroyForcibly() } }
            Thread.sleep(50)
            left = under(root)
        }
    }

    private static boolean homeUnder(Path proc, List<Path> roots) {
        String environ = read(proc.resolve('environ'))
        environ != null && environ.split('\0').any { entry ->
            entry.startsWith('HOME=') && roots.any { Path.of(entry.substring(5)).normalize().startsWith(it) }
        }
    }

    /** A zombie has exited; it only waits for its parent. */
    private static boolean zombie(Path proc) {
        String stat = read(proc.resolve('stat'))
        stat == null || stat.substring(stat.lastIndexOf(')') + 2).startsWith('Z')
    }

    /** The file's text, or null when the process is gone or not ours to read. */
    private static String read(Path file) {
        try {
            new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
        } catch (IOException | SecurityException ignored) {
            null
        }
    }
}
