package katapult.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import katapult.config.Config;
import katapult.config.ConfigException;
import katapult.config.JobSpec;
import katapult.config.Problem;
import katapult.dsl.JobForms;

/** {@code session.submit(job)}: binds a job given in code, records it as an addition file, and sends its runs off. */
final class Submissions {

    private static final Pattern TAKEN = Pattern.compile("a job named '([^']+)' is already in the config");

    private Submissions() {
    }

    static JobHandle submit(Session session, UnaryOperator<Config> binder) {
        Config base = session.config();
        JobSpec job;
        try {
            job = last(binder.apply(base));
        } catch (ConfigException e) {
            JobSpec same = sameAsExisting(base, binder, e);
            if (same == null) {
                throw e;
            }
            launch(session);
            return new JobHandle(session, same.name());
        }
        Path file = record(session, job);
        session.add(file);
        launch(session);
        return new JobHandle(session, job.name());
    }

    /** The job the session already has when the new one is the same job again (same name, same spec), or null. */
    private static JobSpec sameAsExisting(Config base, UnaryOperator<Config> binder, ConfigException e) {
        for (Problem problem : e.problems()) {
            Matcher m = TAKEN.matcher(problem.message());
            if (!m.find()) {
                continue;
            }
            String name = m.group(1);
            JobSpec existing = base.jobs().stream().filter(j -> j.name().equals(name)).findFirst().orElse(null);
            List<JobSpec> others = new ArrayList<>(base.jobs());
            others.remove(existing);
            try {
                JobSpec again = last(binder.apply(base.withJobs(others)));
                return again.asGiven().equals(existing.asGiven()) ? existing : null;
            } catch (ConfigException stillWrong) {
                return null;
            }
        }
        return null;
    }

    private static JobSpec last(Config merged) {
        return merged.jobs().get(merged.jobs().size() - 1);
    }

    /** Writes the job as a map-form addition file in the project's state folder. */
    private static Path record(Session session, JobSpec job) {
        Path folder = Session.stateDir(session.workspace(), session.project()).resolve("added");
        try {
            Files.createDirectories(folder);
            int next;
            try (var files = Files.list(folder)) {
                next = (int) files.count() + 1;
            }
            Path file = folder.resolve(String.format("%04d-%s.groovy", next, job.name()));
            Files.writeString(file, JobForms.additionText(job));
            return file;
        } catch (IOException e) {
            throw new SessionException("cannot record the submitted job in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Places, starts, deploys and submits whatever can go now (runs waiting for others go later, with a wait). */
    private static void launch(Session session) {
        session.start();
        session.deploy();
        session.submit();
    }
}
