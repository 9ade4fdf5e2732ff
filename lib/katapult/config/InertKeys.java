package katapult.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The keys the table marks as accepted but without effect yet ({@link ConfigKey#inertDefault()}): a file that sets
 * one to another value gets a warning at its line, so nobody believes it changed something.
 */
final class InertKeys {

    private InertKeys() {
    }

    /** A warning for each inert key of the top level that {@code root} sets to a value other than its quiet one. */
    static List<Problem> warnings(RawMap root, String file, ConfigForm form) {
        List<Problem> warnings = new ArrayList<>();
        ProblemSink ignored = (line, message) -> { };
        for (ConfigKey<?> key : GlobalKeys.keys()) {
            Located v = root.get(key.name());
            if (key.inertDefault() == null || v == null) {
                continue;
            }
            Object value = key.type().read(v, key.spelled(form), ignored);
            if (value != null && !Objects.equals(value, key.inertDefault())) {
                warnings.add(new Problem(file, v.line() > 0 ? v.line() : root.line(), "warning: '" + key.spelled(form)
                        + "' is set to " + shown(value) + ", but this key has no effect yet: Katapult ignores it"));
            }
        }
        return warnings;
    }

    private static String shown(Object value) {
        return value instanceof Enum<?> e ? Readers.lower(e) : String.valueOf(value);
    }
}
