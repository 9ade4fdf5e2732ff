package katapult.config;

import java.util.Locale;

/**
 * A memory amount as Slurm's {@code --mem} takes it: a whole number with an optional unit K, M, G or T (a number
 * alone is megabytes). Anything else is refused at the key, since sbatch would refuse it only at submission.
 */
final class SlurmMemory {

    /** The key type of {@code mem} and {@code mem_per_cpu}: the amount as sbatch spells it ({@code 4G}). */
    static final ValueType<String> TYPE = new ValueType<>(false, SlurmMemory::read);

    private SlurmMemory() {
    }

    private static String read(Located v, String spelled, ProblemSink out) {
        Object o = v.value();
        String s = o instanceof Number n && n.longValue() == n.doubleValue() ? String.valueOf(n.longValue())
                : o instanceof CharSequence cs ? cs.toString().trim().toUpperCase(Locale.ROOT) : null;
        if (s != null && s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        if (s == null || !s.matches("[1-9][0-9]{0,12}[KMGT]?")) {
            out.problem(v.line(), "'" + spelled + "' must be a memory amount such as '500M', '4G' or '1T', got "
                    + Readers.show(o));
            return null;
        }
        return s;
    }
}
