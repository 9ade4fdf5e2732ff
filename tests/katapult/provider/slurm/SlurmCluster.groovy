package katapult.provider.slurm

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The single-node Slurm cluster of the slurm provider's specs: {@code tests/fixtures/slurm/cluster.sh} configures
 * and starts munged, slurmctld and slurmd on this machine once (later calls find it up) and waits for the node to be
 * idle. {@link #unavailable()} says why it cannot run here, or null; the daemons stay up for the specs that follow.
 */
final class SlurmCluster {

    static final Path SCRIPT = Path.of('tests/fixtures/slurm/cluster.sh')

    private static String why

    private static boolean tried

    private SlurmCluster() {
    }

    /** Why the cluster cannot run here (started once per JVM), or null when it runs. */
    static synchronized String unavailable() {
        if (!tried) {
            tried = true
            def run = command('bash', SCRIPT.toString(), 'start')
            why = run.code == 0 ? null : "the Slurm test cluster did not start: ${run.out.trim()}"
        }
        why
    }

    /** Runs a command on this machine (a Slurm client command, say): exit code and output (stderr merged). */
    static Map command(String... args) {
        def process = new ProcessBuilder(args).redirectErrorStream(true).start()
        def out = process.inputStream.text
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            return [code: -1, out: out + "\n(timed out)"]
        }
        [code: process.exitValue(), out: out]
    }
}
