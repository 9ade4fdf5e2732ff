package katapult.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import katapult.config.Config;
import katapult.config.ConfigException;
import katapult.config.JobSpec;
import katapult.config.Problem;

/**
 * Binds a job given in code as an addition to the session's config. A job whose name the config already has is
 * either that same job given again (a script run twice: nothing new) or a mistake (the binder's problem stands).
 */
final class Submissions {

    /**
     * @param job   the bound job: the new one, or the one the session already had
     * @param isNew whether the session did not have it yet
     */
    record Bound(JobSpec job, boolean isNew) {
    }

    private Submissions() {
    }

    static Bound bind(Config base, UnaryOperator<Config> binder) {
        try {
            return new Bound(last(binder.apply(base)), true);
        } catch (ConfigException e) {
            JobSpec same = sameAsExisting(base, binder, e);
            if (same == null) {
                throw e;
            }
            return new Bound(same, false);
        }
    }

    /** The job the session already has when the new one is the same job again (same name, same spec), or null. */
    private static JobSpec sameAsExisting(Config base, UnaryOperator<Config> binder, ConfigException e) {
        for (Problem problem : e.problems()) {
            if (problem.code() != Problem.Code.JOB_NAME_TAKEN) {
                continue;
            }
            String name = problem.subject();
            JobSpec existing = base.jobs().stream().filter(j -> j.name().equals(name)).findFirst().orElse(null);
            if (existing == null) {
                continue;
            }
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
}
