package katapult.provider.slurm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import katapult.config.SlurmSettings;
import katapult.provider.BatchScheduler.BatchArray;
import katapult.transport.ShellQuote;

/** The sbatch options of one job array from an entry's slurm keys: one word per option, nothing left to a shell. */
final class SlurmOptions {

    private SlurmOptions() {
    }

    static List<String> of(SlurmSettings slurm, BatchArray array) {
        List<String> words = new ArrayList<>();
        words.add("--job-name=" + array.name());
        words.add("--comment=" + array.comment());
        String cap = slurm.maxParallel() == null ? "" : "%" + slurm.maxParallel();
        words.add("--array=0-" + (array.tasks() - 1) + cap);
        words.add("--cpus-per-task=" + Math.max(1, array.cpus()));
        words.add("--ntasks=1");
        add(words, "--partition=", slurm.partition());
        add(words, "--account=", slurm.account());
        add(words, "--qos=", slurm.qos());
        Duration limit = array.timeLimit() != null ? array.timeLimit() : slurm.timeLimit();
        add(words, "--time=", limit == null ? null : time(limit));
        add(words, "--mem=", slurm.mem());
        add(words, "--mem-per-cpu=", slurm.memPerCpu());
        add(words, "--gres=", slurm.gpu());
        words.addAll(slurm.sbatchOptions());
        return words;
    }

    /**
     * The options of an environment's set-up job: one task of one cpu where the entry's runs go (partition, account,
     * qos), with the entry's {@code time_limit} and memory ({@code mem} or {@code mem_per_cpu}), so that it is held to
     * what the entry's runs get (a partition's defaults can be too short or too small to build an environment); a
     * job's own {@code time_limit} is for its runs only.
     */
    static List<String> setup(SlurmSettings slurm, String name, String comment) {
        List<String> words = new ArrayList<>();
        words.add("--job-name=" + name);
        words.add("--comment=" + comment);
        words.add("--ntasks=1");
        words.add("--cpus-per-task=1");
        add(words, "--partition=", slurm.partition());
        add(words, "--account=", slurm.account());
        add(words, "--qos=", slurm.qos());
        add(words, "--time=", slurm.timeLimit() == null ? null : time(slurm.timeLimit()));
        add(words, "--mem=", slurm.mem());
        add(words, "--mem-per-cpu=", slurm.memPerCpu());
        return words;
    }

    /** {@code sbatch <options> <task script> R NAME} as {@code plan} shows it: a word a shell would split, quoted. */
    static String describe(SlurmSettings slurm, BatchArray array) {
        StringBuilder line = new StringBuilder("sbatch");
        for (String word : of(slurm, array)) {
            line.append(' ').append(shown(word));
        }
        return line.append(" slurm-task.sh R ").append(shown(array.name())).toString();
    }

    private static String shown(String word) {
        return word.matches("[A-Za-z0-9_./=:%@,+-]+") ? word : ShellQuote.quote(word);
    }

    /** Slurm's {@code days-hours:minutes:seconds}, rounded up to the second. */
    static String time(Duration limit) {
        long seconds = Math.max(1, limit.toSeconds() + (limit.toNanosPart() > 0 ? 1 : 0));
        long days = seconds / 86_400;
        long rest = seconds % 86_400;
        return String.format("%d-%02d:%02d:%02d", days, rest / 3600, rest % 3600 / 60, rest % 60);
    }

    private static void add(List<String> words, String option, String value) {
        if (value != null) {
            words.add(option + value);
        }
    }
}
