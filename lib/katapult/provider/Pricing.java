package katapult.provider;

import java.util.List;

import katapult.plan.InstancePlan;

/**
 * What a provider's instances cost per hour, for {@code katapult plan}. A provider that charges nothing (local,
 * ssh) has no pricing; a cloud provider says, for each planned instance, its hourly price and where that price
 * comes from, or that it is unknown.
 */
public interface Pricing {

    /** The hourly price of each planned instance, in plan order. */
    List<Quote> quote(List<InstancePlan> plans);

    /**
     * The price of one planned instance.
     *
     * @param region where it runs
     * @param type   the provider's machine type
     * @param spot   whether it is a spot (interruptible) instance, else on-demand
     * @param hourly $/hour, or null when unknown
     * @param note   where the price comes from (or why it is unknown), shown beside it
     */
    record Quote(String instance, String region, String type, int cpus, boolean spot, Double hourly, String note) {
    }
}
