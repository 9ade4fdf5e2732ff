package katapult.plan;

import katapult.config.InstanceSpec;

/** One concrete instance to have: a config entry after {@code number} and {@code explode} are applied. */
public record InstancePlan(String name, InstanceSpec spec, int cpus) {
}
