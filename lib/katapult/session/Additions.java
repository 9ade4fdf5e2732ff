package katapult.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import katapult.config.Config;
import katapult.config.ConfigException;
import katapult.config.JobSpec;
import katapult.config.KeptNames;
import katapult.config.Problem;
import katapult.dsl.ConfigLoader;
import katapult.dsl.JobForms;

/**
 * Files added to a project after its config: config files given to {@code add}, and the jobs scripts submitted, which
 * are saved as JSON (the map form's keys) under {@code .katapult/<project>/added/} so that a resumed session has them
 * again. A job saved by an older Katapult as a generated Groovy addition file still loads, as any config file does.
 */
final class Additions {

    /** Marks a JSON file as one submitted job. */
    static final String FORMAT = "katapult-submitted-job/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Additions() {
    }

    /** Adds the jobs (and environments, instances) of {@code file} to {@code base}: a saved job or a config file. */
    static Config load(Path file, Config base, KeptNames kept) {
        if (!file.getFileName().toString().endsWith(".json")) {
            return ConfigLoader.loadAddition(file, base, kept);
        }
        return JobForms.bindSaved(readJob(file), file, base, kept);
    }

    /** Saves a submitted job in {@code folder} as the next numbered JSON file; returns that file. */
    static Path save(Path folder, JobSpec job) {
        try {
            Files.createDirectories(folder);
            int next;
            try (var files = Files.list(folder)) {
                next = (int) files.count() + 1;
            }
            Map<String, Object> saved = new LinkedHashMap<>();
            saved.put("format", FORMAT);
            saved.put("job", JobForms.toMap(job));
            Path file = folder.resolve(String.format("%04d-%s.json", next, job.name()));
            JSON.writeValue(file.toFile(), saved);
            return file;
        } catch (IOException e) {
            throw new SessionException("cannot record the submitted job in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> readJob(Path file) {
        Map<String, Object> saved;
        try {
            saved = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw unreadable(file, "it is not JSON: " + e.getMessage());
        }
        if (saved == null || !FORMAT.equals(saved.get("format")) || !(saved.get("job") instanceof Map<?, ?>)) {
            throw unreadable(file, "it is not a " + FORMAT + " file");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> job = (Map<String, Object>) saved.get("job");
        return job;
    }

    private static ConfigException unreadable(Path file, String why) {
        return new ConfigException(List.of(new Problem(file.toString(), 0, "cannot read this submitted job: "
                + why)));
    }
}
