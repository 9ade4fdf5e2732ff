package katapult.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import katapult.config.InstanceSpec;

/**
 * Applies {@code number} and {@code explode}: each entry gives {@code number} machines; with {@code explode}, a cpus
 * request larger than one machine can hold is split over as many machines as it needs (cpus shared out evenly).
 */
public final class InstanceExpander {

    private InstanceExpander() {
    }

    /**
     * @param machineCpus the most cpus one machine of an entry can have (local: this machine's cores)
     * @param defaultCpus cpus when the entry names none
     */
    public static List<InstancePlan> expand(List<InstanceSpec> specs, ToIntFunction<InstanceSpec> machineCpus,
                                            ToIntFunction<InstanceSpec> defaultCpus) {
        List<InstancePlan> plans = new ArrayList<>();
        for (InstanceSpec spec : specs) {
            int cpus = spec.cpus() != null ? spec.cpus() : defaultCpus.applyAsInt(spec);
            int pieces = spec.pieces(cpus, machineCpus.applyAsInt(spec));
            int total = spec.number() * pieces;
            int index = 0;
            for (int copy = 0; copy < spec.number(); copy++) {
                for (int piece = 0; piece < pieces; piece++) {
                    int share = cpus / pieces + (piece < cpus % pieces ? 1 : 0);
                    index++;
                    String name = total == 1 ? spec.name() : spec.name() + "-" + index;
                    plans.add(new InstancePlan(name, spec, share));
                }
            }
        }
        return plans;
    }
}
