package katapult.dsl;

import groovy.lang.Closure;
import groovy.lang.Script;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import katapult.config.Config;
import katapult.config.ConfigBinder;
import katapult.config.ConfigException;
import katapult.config.ConfigForm;
import katapult.config.ConfigKeys.Block;
import katapult.config.JobSpec;
import katapult.config.KeptNames;
import katapult.config.Located;
import katapult.config.Problem;
import katapult.config.RawMap;
import katapult.transport.ShellQuote;

/**
 * Jobs given in memory rather than in a file (the scripting API's {@code session.submit(...)}): a closure in the
 * block form's job language, a map with the map form's keys, or a {@link JobSpec}. Each is bound by the same
 * {@link ConfigBinder} as a file, and can be written back as a map-form addition file, so a session that is
 * resumed later finds the job again.
 */
public final class JobForms {

    /** How problems name the place a job came from. */
    public static final String ORIGIN = "submit";

    private JobForms() {
    }

    /**
     * Binds one job written as a closure in the job form ({@code { name 'x'; runCommand 'echo hi' }}) as an addition
     * to {@code base}; relative paths resolve against {@code folder}.
     *
     * @return the merged config, the new job last
     * @throws ConfigException carrying every problem of the job
     */
    public static Config bindClosure(Closure<?> body, Path folder, Config base) {
        DslContext ctx = new DslContext(ORIGIN, ORIGIN);
        Object owner = body.getOwner();
        while (owner instanceof Closure<?> outer) {
            owner = outer.getOwner();
        }
        if (owner instanceof Script script) {
            ctx.script = script; // the helpers of the script that wrote the closure stay callable inside it
        }
        RawMap root = new RawMap(0);
        RawMap item = new RawMap(0);
        root.append("jobs", new Located(item, 0), 0);
        ctx.run(body, new BlockDelegate(new Recorder(ctx, Block.JOB, item)));
        return bind(root, folder, base, ConfigForm.BLOCK, ctx.problems);
    }

    /** Binds one job given as a map with the map form's keys ({@code [run_command: 'echo hi', repeat: 2]}). */
    public static Config bindMap(Map<String, ?> job, Path folder, Config base) {
        RawMap root = new RawMap(0);
        root.append("jobs", new Located(Recorder.raw(job, 0), 0), 0);
        return bind(root, folder, base, ConfigForm.MAP, List.of());
    }

    /**
     * Binds one job saved with the map form's keys in {@code file} (a job the scripting API recorded), for a project
     * that already gave the default job names {@code kept}.
     */
    public static Config bindSaved(Map<String, ?> job, Path file, Config base, KeptNames kept) {
        RawMap root = new RawMap(0);
        root.append("jobs", new Located(Recorder.raw(job, 0), 0), 0);
        return ConfigBinder.bindAddition(root, file.toAbsolutePath().normalize(), file.toString(), ConfigForm.MAP, base,
                new ArrayList<>(), kept);
    }

    /** Binds a {@link JobSpec} (from code: relative paths resolve against {@code folder}). */
    public static Config bindSpec(JobSpec spec, Path folder, Config base) {
        return bindMap(toMap(spec), folder, base);
    }

    private static Config bind(RawMap root, Path folder, Config base, ConfigForm form,
                               List<Problem> earlier) {
        return ConfigBinder.bindAddition(root, folder.toAbsolutePath().normalize().resolve(ORIGIN + ".groovy"), ORIGIN,
                form, base, new ArrayList<>(earlier));
    }

    /** A job spec as a map with the map form's keys, leaving out what is at its default. */
    public static Map<String, Object> toMap(JobSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (spec.name() != null) {
            m.put("name", spec.name());
        }
        if (spec.envName() != null) {
            m.put("env_name", spec.envName());
        }
        if (spec.cpusReq() > 1) {
            m.put("cpus_req", spec.cpusReq());
        }
        if (spec.runScript() != null) {
            List<String> words = new ArrayList<>();
            words.add(spec.runScript().script().toString());
            words.addAll(spec.runScript().args());
            m.put("run_script", ShellQuote.join(words));
        }
        if (spec.runCommand() != null) {
            m.put("run_command", spec.runCommand());
        }
        if (spec.maxRetries() != JobSpec.DEFAULT_MAX_RETRIES) {
            m.put("max_retries", spec.maxRetries());
        }
        if (spec.maxPreemptions() != JobSpec.DEFAULT_MAX_PREEMPTIONS) {
            m.put("max_preemptions", spec.maxPreemptions());
        }
        if (!spec.uploadFiles().isEmpty()) {
            m.put("upload_files", spec.uploadFiles().stream().map(Path::toString).toList());
        }
        if (!spec.inputFiles().isEmpty()) {
            m.put("input_files", spec.inputFiles().stream().map(Path::toString).toList());
        }
        if (!spec.outputFiles().isEmpty()) {
            m.put("output_files", spec.outputFiles());
        }
        if (spec.repeat() > 1) {
            m.put("repeat", spec.repeat());
        }
        if (!spec.after().isEmpty()) {
            m.put("after", spec.after());
        }
        if (!spec.sweep().isEmpty()) {
            Map<String, Object> grid = new LinkedHashMap<>();
            spec.sweep().params().forEach(p -> grid.put(p.name(), p.values()));
            m.put("sweep_params", grid);
        }
        if (spec.metricsFile() != null) {
            m.put("metrics_file", spec.metricsFile());
        }
        return m;
    }
}
