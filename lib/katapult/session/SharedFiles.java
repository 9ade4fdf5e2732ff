package katapult.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import katapult.plan.JobPlan;

/**
 * Which files of a run's work folder it shares read-only with the other runs of its instance (a hard link into the
 * content store) rather than getting a private writable copy. With {@code mutualize_uploads true}: every
 * {@code upload_files} file, and every input ({@code input_files}, a waited-for job's outputs) of at least
 * {@link #INPUT_THRESHOLD} bytes, whose copies would cost disk; small inputs, the run script (made executable in
 * place) and checkpoint files (which the run rewrites) stay private copies. With {@code false}: nothing is shared.
 */
record SharedFiles(boolean mutualize) {

    /** Inputs from this size on are shared: 1 MiB. */
    static final long INPUT_THRESHOLD = 1L << 20;

    /**
     * @param job      the run's job
     * @param upstream the files it gets from the jobs it waits for, by name in its work folder
     */
    Set<String> of(JobPlan job, Map<String, Path> upstream) {
        Set<String> shared = new LinkedHashSet<>();
        if (!mutualize) {
            return shared;
        }
        String script = job.spec().runScript() == null ? null
                : job.spec().runScript().script().getFileName().toString();
        for (Path upload : job.spec().uploadFiles()) {
            shared.add(job.spec().landing(upload));
        }
        for (Path input : job.spec().inputFiles()) {
            if (large(input)) {
                shared.add(job.spec().landing(input));
            }
        }
        upstream.forEach((name, path) -> {
            if (large(path)) {
                shared.add(name);
            }
        });
        shared.remove(script);
        return shared;
    }

    private static boolean large(Path file) {
        try {
            return Files.size(file) >= INPUT_THRESHOLD;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the size of " + file, e);
        }
    }
}
