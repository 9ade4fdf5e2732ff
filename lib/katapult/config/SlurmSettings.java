package katapult.config;

import java.time.Duration;
import java.util.List;

/**
 * The keys of an instance entry that the slurm provider reads: the login node to reach (as the ssh provider reaches a
 * host; no host, or {@code localhost}, is this machine) and what every job array of the entry asks Slurm for.
 *
 * @param login        the login node; {@link SshHostSettings#host()} null when Katapult runs on it
 * @param partition    {@code --partition}, or null
 * @param account      {@code --account}, or null
 * @param qos          {@code --qos}, or null
 * @param timeLimit    {@code --time} of each run, or null for the partition's default
 * @param mem          {@code --mem} ({@code 4G}), or null
 * @param memPerCpu    {@code --mem-per-cpu}, or null
 * @param gpu          {@code --gres}, or null
 * @param maxParallel  the array's cap on tasks running at once ({@code %N}), or null
 * @param sbatchOptions more sbatch options, passed as they are
 * @param workdir      the project's folder on the cluster's shared file system, relative to the login user's home or
 *                     absolute; null for the default {@code .katapult/<project>} in the home
 */
public record SlurmSettings(SshHostSettings login, String partition, String account, String qos, Duration timeLimit,
                            String mem, String memPerCpu, String gpu, Integer maxParallel, List<String> sbatchOptions,
                            String workdir)
        implements InstanceSettings {

    /** Settings with the project's folder in its default place. */
    public SlurmSettings(SshHostSettings login, String partition, String account, String qos, Duration timeLimit,
                         String mem, String memPerCpu, String gpu, Integer maxParallel, List<String> sbatchOptions) {
        this(login, partition, account, qos, timeLimit, mem, memPerCpu, gpu, maxParallel, sbatchOptions, null);
    }

    public SlurmSettings {
        sbatchOptions = sbatchOptions == null ? List.of() : List.copyOf(sbatchOptions);
    }

    /** Whether Katapult runs on the login node itself (no host, or {@code localhost}). */
    public boolean local() {
        return login.host() == null || login.host().equals("localhost");
    }
}
