package katapult.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import katapult.config.ConfigKeys.Block;
import katapult.config.JobSpec.ScriptCall;

/**
 * Binds the jobs: what each runs, its environment and files, its default name (unique across the project), and the
 * cross-checks that need every job: unique names, the {@code after} graph, upstream outputs, cpus and {@code max_runs}.
 */
final class JobBinder {

    private final Binding in;
    private final JobFiles jobFiles;
    private final SweepBinder sweeps;

    JobBinder(Binding in) {
        this.in = in;
        this.jobFiles = new JobFiles(in);
        this.sweeps = new SweepBinder(in);
    }

    /** A job being bound, with what the cross-checks need. */
    private record Draft(JobSpec spec, int line, int nameLine, boolean defaultName, String what,
                         Located after, Located cpusReq, String word) {

        Draft withName(String name) {
            return new Draft(spec.withName(name), line, nameLine, defaultName, what, after, cpusReq, word);
        }
    }

    void bindJobs(RawMap root, Set<String> envNames, List<InstanceSpec> instances, List<JobSpec> jobs) {
        List<Draft> drafts = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        List<RawMap> raw = in.items(root, GlobalKeys.JOBS);
        for (RawMap m : raw) {
            if (in.val(m, "name") != null && in.val(m, "name").value() instanceof CharSequence cs) {
                declared.add(cs.toString());
            }
        }
        for (RawMap m : raw) {
            in.checkKeys(m, Block.JOB);
            Draft d = bindJob(m, envNames);
            if (d != null) {
                drafts.add(d);
            }
        }
        drafts = nameDefaults(drafts, jobs);
        // unique names, against the in.base's too
        Map<String, Draft> byName = new HashMap<>();
        Set<String> allNames = new LinkedHashSet<>();
        for (JobSpec existing : jobs) {
            allNames.add(existing.name());
        }
        for (Draft d : drafts) {
            String name = d.spec().name();
            Draft first = byName.get(name);
            if (first != null) {
                in.problem(d.nameLine(), "two jobs are named '" + name + "'" + in.where(first.nameLine())
                        + "; job names must be unique");
            } else if (allNames.contains(name)) {
                in.nameTaken(d.nameLine(), "a job named '" + name + "' is already in the config this file adds to; "
                        + "job names must be unique" + (d.defaultName() ? " (give this one a '" + in.spell(JobKeys.NAME)
                        + "', or raise 'repeat' there)" : ""), name);
            } else {
                byName.put(name, d);
            }
            allNames.add(name);
        }
        Set<String> referable = new LinkedHashSet<>(allNames);
        referable.addAll(declared);
        new AfterCheck(in).check(drafts.stream().map(d -> new AfterCheck.Node(d.spec().name(), d.spec().after(),
                d.after() == null ? d.line() : d.after().line())).toList(), referable, jobs);
        checkUpstreamNames(drafts, jobs);
        checkCpus(drafts, instances);
        for (Draft d : drafts) {
            jobs.add(d.spec());
        }
    }

    /** More runs than {@code max_runs} is refused at the job that goes past it: its state would not fit a session. */
    void checkRuns(RawMap root, int limit) {
        long total = in.base == null ? 0 : in.base.jobs().stream().mapToLong(JobSpec::runCount).sum();
        for (RawMap m : in.items(root, GlobalKeys.JOBS)) {
            Located repeat = in.val(m, "repeat");
            Long n = repeat == null ? null : Readers.wholeValue(repeat.value());
            boolean counted = n != null && n >= 1;
            long points = SweepBinder.rawPoints(m);
            long each = counted ? n : 1;
            total += each > Long.MAX_VALUE / 4 / points ? Long.MAX_VALUE / 4 : each * points;
            if (total > limit) {
                in.problem(repeat == null ? m.line() : repeat.line(), "this job brings the project to "
                        + InstanceCount.grouped(total) + " runs" + (counted ? " ('" + in.spell(JobKeys.REPEAT)
                        + "' " + n + ")" : "") + (points > 1 ? " (" + points + " points in '"
                        + in.spell(JobKeys.SWEEP) + "')" : "") + "; a project may have at most " + InstanceCount.grouped(limit) + " runs (raise '"
                        + in.spell(GlobalKeys.MAX_RUNS) + "' to allow more)");
                return;
            }
        }
    }

    /**
     * Gives the jobs without a name their default one, unique among all jobs; drops (and reports) those that run
     * exactly what another one runs, as they could only have the same name.
     */
    private List<Draft> nameDefaults(List<Draft> drafts, List<JobSpec> baseJobs) {
        List<DefaultNames.Candidate> candidates = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        Map<String, JobSpec> baseByKey = new HashMap<>();
        for (JobSpec existing : baseJobs) {
            // a in.base job's given name is not avoided: the same job submitted again from a script must meet it
            if (existing.nameKey() != null) {
                baseByKey.put(existing.nameKey(), existing);
                candidates.add(new DefaultNames.Candidate(stemOf(existing.name()), existing.nameKey(),
                        existing.name()));
            }
        }
        Map<String, Draft> byKey = new HashMap<>();
        List<Draft> twins = new ArrayList<>();
        List<Draft> unnamed = new ArrayList<>();
        for (Draft d : drafts) {
            if (!d.defaultName()) {
                taken.add(d.spec().name());
                continue;
            }
            String key = d.spec().nameKey();
            Draft first = byKey.putIfAbsent(key, d);
            if (first != null) {
                twins.add(d);
            } else if (baseByKey.containsKey(key)) {
                String takenName = baseByKey.get(key).name();
                in.nameTaken(d.line(), "a job named '" + takenName + "' is already in the config this file"
                        + " adds to; job names must be unique (give this one a '" + in.spell(JobKeys.NAME)
                        + "', or raise 'repeat' there)", takenName);
            } else {
                unnamed.add(d);
                candidates.add(new DefaultNames.Candidate(d.word(), key, null));
            }
        }
        List<String> names = DefaultNames.assign(candidates, taken, in.kept);
        Map<Draft, String> given = new IdentityHashMap<>();
        int offset = candidates.size() - unnamed.size();
        for (int i = 0; i < unnamed.size(); i++) {
            given.put(unnamed.get(i), names.get(offset + i));
        }
        for (Draft d : twins) {
            Draft first = byKey.get(d.spec().nameKey());
            String name = given.containsKey(first) ? given.get(first) : baseByKey.get(d.spec().nameKey()).name();
            in.problem(d.line(), "this job runs the same " + d.what() + " as the job at line " + first.line()
                    + ", so both would be named '" + name + "'; to run a job several times use '"
                    + in.spell(JobKeys.REPEAT) + "', otherwise give each a '" + in.spell(JobKeys.NAME) + "'");
        }
        List<Draft> result = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            if (!d.defaultName()) {
                result.add(d);
            } else if (given.containsKey(d)) {
                result.add(d.withName(given.get(d)));
            }
        }
        return result;
    }

    /** The word of a default name: what comes before its last '-'. */
    private static String stemOf(String defaultName) {
        return defaultName.substring(0, Math.max(0, defaultName.lastIndexOf('-')));
    }

    private Draft bindJob(RawMap m, Set<String> envNames) {
        String envName = in.read(m, JobKeys.ENV_NAME);
        if (envName != null) {
            if (!envNames.contains(envName)) {
                in.problem(in.line(m, "env_name"), "'" + in.spell(JobKeys.ENV_NAME) + "' names no environment: '" + envName + "'"
                        + DidYouMean.hint(envName, envNames)
                        + (envNames.isEmpty() ? " (there are no environments)"
                        : DidYouMean.suggest(envName, envNames).isPresent() ? ""
                        : " (environments: " + String.join(", ", envNames) + ")"));
            }
        } else if (!in.given(m, "env_name")) {
            if (envNames.size() == 1) {
                envName = envNames.iterator().next();
            } else if (envNames.size() > 1) {
                in.problem(m.line(), "this job needs an '" + in.spell(JobKeys.ENV_NAME) + "': there are several environments ("
                        + String.join(", ", envNames) + ")");
            }
        }
        Integer cpusReq = in.read(m, JobKeys.CPUS_REQ);
        Integer repeat = in.read(m, JobKeys.REPEAT);
        Integer maxRetries = in.read(m, JobKeys.MAX_RETRIES);
        Integer maxPreemptions = in.read(m, JobKeys.MAX_PREEMPTIONS);

        ScriptCall script = scriptCall(m);
        String command = in.read(m, JobKeys.RUN_COMMAND);
        if (command != null && command.isBlank()) {
            command = null;
        }
        boolean scriptGiven = in.val(m, "run_script") != null;
        if (!scriptGiven && command == null) {
            in.problem(m.line(), "this job has nothing to run: give it '" + in.spell(JobKeys.RUN_SCRIPT) + "' (a script and its "
                    + "arguments) or '" + in.spell(JobKeys.RUN_COMMAND) + "' (a command line)");
        }
        // the script, uploads and inputs all land in the run's folder under their own names
        Map<String, Path> landed = new HashMap<>();
        if (script != null) {
            landed.put(script.script().getFileName().toString(), script.script());
        }
        Map<Path, String> landing = new HashMap<>();
        List<Path> uploads = jobFiles.files(m, "upload_files", null, "upload file", landed, landing);
        List<Path> inputs = jobFiles.files(m, "input_files", "input_file", "input file", landed, landing);
        List<String> outputs = new ArrayList<>(jobFiles.outputs(m));
        List<String> checkpoints = jobFiles.relativeFiles(m, JobKeys.CHECKPOINT_FILES.name(), "checkpoint");
        String metricsFile = metricsFile(m, outputs);
        Sweep sweep = sweeps.bind(m);
        sweeps.checkPlaceholders(m, sweep, JobKeys.RUN_SCRIPT, in.read(m, JobKeys.RUN_SCRIPT));
        sweeps.checkPlaceholders(m, sweep, JobKeys.RUN_COMMAND, script == null ? command : null);
        Located afterValue = in.val(m, "after");
        List<String> after = in.words(m, JobKeys.AFTER);

        String name = in.name(m, JobKeys.NAME);
        boolean defaultName = name == null;
        String what;
        String word = null;
        String key = null;
        if (script != null) {
            String rel = in.relativeForHash(script.script());
            StringBuilder h = new StringBuilder(rel);
            for (String a : script.args()) {
                h.append(' ').append(a);
            }
            what = "script ('" + h + "')";
            if (name == null) {
                word = ConfigBinder.sanitize(ConfigBinder.stem(script.script().getFileName().toString()));
                key = ConfigBinder.nameKey(h.toString());
            }
        } else if (command != null) {
            what = "command ('" + command + "')";
            if (name == null) {
                word = ConfigBinder.sanitize(ConfigBinder.firstWord(command));
                key = ConfigBinder.nameKey(command);
            }
        } else {
            return null;
        }
        if (defaultName && word != null) {
            name = word + "-" + key.substring(0, DefaultNames.MIN_DIGITS); // until nameDefaults sees every job
        }
        if (name == null || (in.given(m, "name") && in.val(m, "name") != null && !ConfigBinder.NAME.matcher(name).matches())) {
            return null;
        }
        JobSpec spec = new JobSpec(name, envName, cpusReq == null ? 1 : cpusReq, script, command, uploads, inputs,
                outputs, repeat == null ? 1 : repeat, after, key,
                maxRetries == null ? JobSpec.DEFAULT_MAX_RETRIES : maxRetries,
                maxPreemptions == null ? JobSpec.DEFAULT_MAX_PREEMPTIONS : maxPreemptions, sweep, metricsFile,
                checkpoints, in.read(m, JobKeys.TIME_LIMIT), landing);
        int nameLine = in.given(m, "name") ? in.line(m, "name") : m.line();
        return new Draft(spec, m.line(), nameLine, defaultName, what, afterValue, in.val(m, "cpus_req"), word);
    }

    /** The metrics file, normalised and added to the outputs (it is fetched as one); null when none or wrong. */
    private String metricsFile(RawMap m, List<String> outputs) {
        String file = in.read(m, JobKeys.METRICS_FILE);
        if (file == null) {
            return null;
        }
        String bad = JobFiles.badOutput(file);
        if (bad != null) {
            in.problem(in.line(m, JobKeys.METRICS_FILE.name()), "'" + in.spell(JobKeys.METRICS_FILE) + "': '" + file
                    + "' " + bad);
            return null;
        }
        String normal = Path.of(file).normalize().toString().replace(java.io.File.separatorChar, '/');
        if (!outputs.contains(normal)) {
            outputs.add(normal);
        }
        return normal;
    }

    private ScriptCall scriptCall(RawMap m) {
        String text = in.read(m, JobKeys.RUN_SCRIPT);
        if (text == null) {
            return null;
        }
        int line = in.line(m, "run_script");
        String key = in.spell(JobKeys.RUN_SCRIPT);
        List<String> words;
        try {
            words = ShellWords.split(text);
        } catch (IllegalArgumentException e) {
            in.problem(line, "'" + key + "' cannot be split into words: " + e.getMessage());
            return null;
        }
        if (words.isEmpty()) {
            in.problem(line, "'" + key + "' is empty: write the script's path, then its arguments");
            return null;
        }
        Path script = in.path(words.get(0), line, "run_script");
        if (script == null) {
            return null;
        }
        if (Files.isDirectory(script)) {
            in.problem(line, "'" + key + "': '" + words.get(0) + "' is a folder, not a script (" + script + ")");
            return null;
        }
        if (!Files.isRegularFile(script)) {
            in.problem(line, "'" + key + "': no such script '" + words.get(0) + "' (" + script + ")"
                    + (words.get(0).contains("/") || words.size() > 1 ? "" : "; to run a command use '"
                    + in.spell(JobKeys.RUN_COMMAND) + "'"));
            return null;
        }
        return new ScriptCall(script, words.subList(1, words.size()));
    }

    /**
     * The outputs of the jobs a job waits for land in its folder (under their own names when that job has one run):
     * they must not meet one of its own files, nor each other. The planner would refuse them, without a line.
     */
    private void checkUpstreamNames(List<Draft> drafts, List<JobSpec> baseJobs) {
        Map<String, JobSpec> byName = new HashMap<>();
        baseJobs.forEach(j -> byName.putIfAbsent(j.name(), j));
        drafts.forEach(d -> byName.putIfAbsent(d.spec().name(), d.spec()));
        for (Draft d : drafts) {
            JobSpec job = d.spec();
            int line = d.after() == null ? d.line() : d.after().line();
            Set<String> own = new HashSet<>();
            if (job.runScript() != null) {
                own.add(job.runScript().script().getFileName().toString());
            }
            job.uploadFiles().forEach(f -> own.add(job.landing(f)));
            job.inputFiles().forEach(f -> own.add(job.landing(f)));
            Map<String, String> landed = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (String upName : job.after()) {
                JobSpec up = byName.get(upName);
                if (up == null || up.name().equals(job.name())) {
                    continue; // reported by AfterCheck
                }
                if (!seen.add(upName)) {
                    in.problem(line, "'" + in.spell(JobKeys.AFTER) + "' lists '" + upName + "' twice");
                    continue;
                }
                for (String name : up.runCount() == 1 ? up.outputFiles() : List.of(up.name())) {
                    String first = landed.putIfAbsent(name, up.name());
                    if (own.contains(name)) {
                        in.problem(line, "job '" + job.name() + "' gets '" + name + "' both from its own files and from '"
                                + up.name() + "', which it waits for ('" + in.spell(JobKeys.AFTER) + "'); rename one of them");
                    } else if (first != null) {
                        in.problem(line, "job '" + job.name() + "' waits for jobs whose outputs have the same names ('" + name
                                + "' from '" + first + "' and '" + up.name() + "'): rename the outputs, or give those jobs "
                                + "more than one '" + in.spell(JobKeys.REPEAT) + "'");
                    }
                }
            }
        }
    }

    private void checkCpus(List<Draft> drafts, List<InstanceSpec> instances) {
        if (instances.isEmpty() || instances.stream().anyMatch(i -> i.cpus() == null)) {
            return;
        }
        InstanceSpec largest = instances.stream().max(Comparator.comparingInt(this::machineShare)).orElseThrow();
        int share = machineShare(largest);
        String why = share == largest.cpus() ? "'" + in.spell(InstanceKeys.CPUS) + "'"
                : "'" + in.spell(InstanceKeys.CPUS) + "' " + largest.cpus() + " split by '"
                + in.spell(InstanceKeys.EXPLODE) + "' over machines of this one's " + in.knownMachineCpus(largest) + " cores";
        for (Draft d : drafts) {
            if (d.spec().cpusReq() > share) {
                int line = d.cpusReq() != null ? d.cpusReq().line() : d.line();
                in.problem(line, "job '" + d.spec().name() + "' asks for " + d.spec().cpusReq() + " cpus ('"
                        + in.spell(JobKeys.CPUS_REQ) + "') but the largest instance, '" + largest.name() + "', has "
                        + share + " (" + why + "): it could never start");
            }
        }
    }

    /** The most cpus one machine of an entry gets once explode has split it, as the planner shares them out. */
    private int machineShare(InstanceSpec spec) {
        int pieces = spec.pieces(spec.cpus(), in.knownMachineCpus(spec));
        return (int) ((spec.cpus() + (long) pieces - 1) / pieces);
    }

}
