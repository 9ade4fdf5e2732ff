package katapult.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;
import katapult.config.ConfigKeys.Block;

/**
 * Counts the instances the entries of a config expand into ({@code number}, times the machines {@code explode} splits
 * each into) without making them, so that a count past {@code max_instances} is refused before a million instances
 * are planned. The binder counts with what it knows offline; the planner counts again once the provider has told the
 * size of a machine (aws).
 */
public final class InstanceCount {

    private InstanceCount() {
    }

    /**
     * The entry at which the instances add up to more than the limit.
     *
     * @param index its place in the list counted
     * @param split whether {@code explode} splitting its {@code cpus} is why it makes so many
     */
    public record Over(int index, boolean split, String message) { }

    /**
     * @param cpus        the cpus of an entry
     * @param machineCpus the most cpus one machine of an entry holds ({@link Integer#MAX_VALUE} when unknown)
     * @return the first entry past the limit, or empty when every instance fits
     */
    public static Optional<Over> over(List<InstanceSpec> specs, ToIntFunction<InstanceSpec> cpus,
                                      ToIntFunction<InstanceSpec> machineCpus, int limit, ConfigForm form) {
        long total = 0;
        for (int i = 0; i < specs.size(); i++) {
            InstanceSpec spec = specs.get(i);
            int machine = machineCpus.applyAsInt(spec);
            int pieces = spec.pieces(cpus.applyAsInt(spec), machine);
            total += (long) spec.number() * pieces;
            if (total > limit) {
                return Optional.of(new Over(i, pieces > 1, message(spec, pieces, machine, total, limit, form)));
            }
        }
        return Optional.empty();
    }

    private static String message(InstanceSpec spec, int pieces, int machine, long total, int limit, ConfigForm form) {
        List<String> why = new ArrayList<>();
        if (spec.number() != 1) {
            why.add("'" + ConfigKeys.spell(Block.INSTANCE, "number", form) + "' " + spec.number());
        }
        if (pieces > 1) {
            why.add("'" + ConfigKeys.spell(Block.INSTANCE, "cpus", form) + "' " + spec.cpus() + " split by '"
                    + ConfigKeys.spell(Block.INSTANCE, "explode", form) + "' over machines of " + machine + " cpus");
        }
        return "instance '" + spec.name() + "' makes the project " + grouped(total) + " instances"
                + (why.isEmpty() ? "" : " (" + String.join(", ", why) + ")") + "; a project may have at most "
                + grouped(limit) + " instances (raise '" + ConfigKeys.spell(Block.CONFIG, "max_instances", form)
                + "' to allow more)";
    }

    /** 1000000 → "1,000,000", whatever the machine's locale. */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
