package katapult.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import katapult.config.JobSpec;
import katapult.config.ShellWords;
import katapult.config.Sweep;

/**
 * A job given in code, key by key, as in a config's job block:
 * {@code Katapult.job("train").script("train.py", "--lr", "0.1").outputs("scores.csv").repeat(3)}.
 * Relative paths resolve against the session's config folder. {@link #build()} gives the {@link JobSpec}.
 */
public final class JobBuilder {

    private String name;
    private String envName;
    private int cpusReq = 1;
    private JobSpec.ScriptCall script;
    private String command;
    private final List<Path> uploads = new ArrayList<>();
    private final List<Path> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private int repeat = 1;
    private final List<String> after = new ArrayList<>();
    private final List<Sweep.Param> sweep = new ArrayList<>();
    private String metricsFile;
    private int maxRetries = JobSpec.DEFAULT_MAX_RETRIES;
    private int maxPreemptions = JobSpec.DEFAULT_MAX_PREEMPTIONS;
    private final List<String> checkpointFiles = new ArrayList<>();

    public JobBuilder name(String value) {
        this.name = value;
        return this;
    }

    public JobBuilder env(String value) {
        this.envName = value;
        return this;
    }

    public JobBuilder cpus(int value) {
        this.cpusReq = value;
        return this;
    }

    /** A local script and its arguments, each argument one word: {@code script("run.py", "1", "two words")}. */
    public JobBuilder script(String file, String... args) {
        this.script = new JobSpec.ScriptCall(Path.of(file), List.of(args));
        return this;
    }

    /** A script line split like a shell does: {@code scriptLine("run.py 1 'two words'")}. */
    public JobBuilder scriptLine(String line) {
        List<String> words = ShellWords.split(line);
        this.script = new JobSpec.ScriptCall(Path.of(words.get(0)), words.subList(1, words.size()));
        return this;
    }

    /** A bash command line. */
    public JobBuilder command(String value) {
        this.command = value;
        return this;
    }

    public JobBuilder uploads(String... files) {
        for (String f : files) {
            uploads.add(Path.of(f));
        }
        return this;
    }

    public JobBuilder inputs(String... files) {
        for (String f : files) {
            inputs.add(Path.of(f));
        }
        return this;
    }

    public JobBuilder outputs(String... files) {
        outputs.addAll(List.of(files));
        return this;
    }

    public JobBuilder repeat(int value) {
        this.repeat = value;
        return this;
    }

    /** Jobs that must be DONE first; their outputs become this job's inputs. */
    public JobBuilder after(String... jobs) {
        after.addAll(List.of(jobs));
        return this;
    }

    /**
     * One parameter of the job's grid: {@code sweep("lr", 0.1, 0.01).sweep("seed", 1, 2, 3)}; one run per
     * combination, {@code ${lr}} in the script's arguments or the command replaced by the run's value.
     */
    public JobBuilder sweep(String param, Object... values) {
        List<String> texts = new ArrayList<>();
        for (Object v : values) {
            texts.add(String.valueOf(v));
        }
        sweep.add(new Sweep.Param(param, texts));
        return this;
    }

    /** An output whose fields (a flat JSON object, or a CSV header and one row) become columns of runs.csv. */
    public JobBuilder metricsFile(String file) {
        this.metricsFile = file;
        return this;
    }

    /** {@code max_retries}: how many times a failed run goes again, each a new attempt (default 0). */
    public JobBuilder maxRetries(int value) {
        this.maxRetries = value;
        return this;
    }

    /** {@code max_preemptions}: how many spot interruptions a run goes through before it is ABORTED (default 10). */
    public JobBuilder maxPreemptions(int value) {
        this.maxPreemptions = value;
        return this;
    }

    /**
     * {@code checkpoint_files}: files (relative to the working folder) fetched from an attempt a spot interruption
     * took away and placed in the next attempt's working folder.
     */
    public JobBuilder checkpointFiles(String... files) {
        checkpointFiles.addAll(List.of(files));
        return this;
    }

    public JobSpec build() {
        return new JobSpec(name, envName, cpusReq, script, command, uploads, inputs, outputs, repeat, after, null,
                maxRetries, maxPreemptions, new Sweep(sweep), metricsFile, checkpointFiles, null);
    }
}
