package katapult.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The default names a project already gave, each with the key of the job it was given to (a prefix of the hash its
 * name was made from): such a job keeps its name whatever jobs are added later, and no other job takes it.
 *
 * @param keys default name → key prefix of its job
 */
public record KeptNames(Map<String, String> keys) {

    /** A fresh project's: nothing to keep. */
    public static final KeptNames NONE = new KeptNames(Map.of());

    /** How many hex digits of a job's key are kept: enough that two jobs never share them. */
    public static final int KEY_DIGITS = 16;

    public KeptNames {
        keys = Map.copyOf(keys);
    }

    /** The key kept for a job whose full key is {@code key}. */
    public static String keyOf(String key) {
        return key.substring(0, Math.min(KEY_DIGITS, key.length()));
    }

    /** Name by key prefix, the first name of a key winning (a key gets a second name only if a job took its first). */
    Map<String, String> byKey() {
        Map<String, String> byKey = new HashMap<>();
        keys.forEach((name, key) -> byKey.merge(keyOf(key), name, (a, b) -> a.compareTo(b) <= 0 ? a : b));
        return byKey;
    }

    /** Whether every default-named job of {@code jobs} has the name this keeps for it, and none another's. */
    public boolean agreeWith(List<JobSpec> jobs) {
        Map<String, String> byKey = byKey();
        for (JobSpec job : jobs) {
            if (job.nameKey() == null) {
                continue;
            }
            String name = byKey.get(keyOf(job.nameKey()));
            String owner = keys.get(job.name());
            if (name != null && !name.equals(job.name()) || owner != null && !keyOf(owner).equals(keyOf(job.nameKey()))) {
                return false;
            }
        }
        return true;
    }

    Set<String> names() {
        return keys.keySet();
    }
}
