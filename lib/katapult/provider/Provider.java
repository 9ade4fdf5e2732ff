package katapult.provider;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import katapult.config.InstanceSpec;
import katapult.cost.Spend;
import katapult.plan.InstancePlan;
import katapult.state.InstanceRecord;
import katapult.transport.Shell;
import katapult.transport.SshAccess;

/**
 * Creates, finds, reaches, stops and removes instances. Knows instances, never jobs or runs.
 * Statuses are strings from {@link InstanceStatus}.
 */
public interface Provider extends AutoCloseable {

    /** local | ssh | aws | slurm */
    String kind();

    /** Where the provider reports what it is waiting for outside any step (a cloud throttling its calls). */
    default void notices(Consumer<String> sink) {
    }

    /** Where the provider reports what it did differently from what the config asked (a cloud id naming nothing). */
    default void warnings(Consumer<String> sink) {
    }

    /** The most cpus one machine of this entry can have (used by {@code explode}). */
    int machineCpus(InstanceSpec spec);

    /** Cpus of an instance whose entry names none. */
    int defaultCpus(InstanceSpec spec);

    /**
     * Whether the cpus of this entry's instance are only known once the machine is reached (ssh without {@code cpus}):
     * the session then reaches it before placing runs, and plans with the cpus {@link #ensure} recorded.
     */
    default boolean cpusFromMachine(InstanceSpec spec) {
        return false;
    }

    /**
     * Makes the planned instance exist and run: finds it from {@code known} (or by the provider's own tags), starts
     * it when stopped, replaces it when gone, creates it when new. Never makes a second one for the same plan.
     */
    InstanceRecord ensure(InstancePlan plan, Optional<InstanceRecord> known, Consumer<String> progress)
            throws IOException;

    /** The provider's view of each instance, in one call where the provider allows. */
    Map<String, String> statuses(List<InstanceRecord> instances) throws IOException;

    /** A shell on a running instance; the caller closes it. */
    Shell shell(InstanceRecord instance) throws IOException;

    /**
     * How OpenSSH's {@code ssh} reaches a running instance with the project's key, user, port and pinned host key;
     * empty when the instance is not reached over SSH (local sandboxes).
     */
    default Optional<SshAccess> sshAccess(InstanceRecord instance) throws IOException {
        return Optional.empty();
    }

    /** Stops the machine (its disk survives). */
    void stop(InstanceRecord instance) throws IOException;

    /** Removes the machine and whatever Katapult made for it alone. */
    void remove(InstanceRecord instance) throws IOException;

    /**
     * Removes what the provider made for the whole project beyond its instances (cloud: security group, key pair,
     * ...), after {@link #remove} was called for each known instance. With {@code dryRun}, only lists it.
     */
    default CleanUp cleanUp(boolean dryRun, Consumer<String> progress) throws IOException {
        return new CleanUp(List.of(), List.of(), List.of());
    }

    /** What the instance of {@code spec} shutting itself down does to it; NONE (never shut down) unless it owns it. */
    default ShutdownEffect onShutdown(InstanceSpec spec) {
        return ShutdownEffect.NONE;
    }

    /**
     * The instance metadata address (up to {@code /latest}) where a machine made for {@code spec} learns of a spot
     * interruption ({@code meta-data/spot/instance-action}); empty when it is never interrupted.
     */
    default Optional<String> spotMetadata(InstanceSpec spec) {
        return Optional.empty();
    }

    /** What instances cost, when the provider charges for them (a cloud); empty when it does not. */
    default Optional<Pricing> pricing() {
        return Optional.empty();
    }

    /** How this provider hosts the remote maestro, when it can (a cloud); empty when it cannot. */
    default Optional<MaestroHosting> maestroHosting() {
        return Optional.empty();
    }

    /** How runs go to a batch scheduler instead of an agent, when the instances are its login nodes (slurm). */
    default Optional<BatchScheduler> batch() {
        return Optional.empty();
    }

    /** A check to run before planning with this provider (credentials, region), when it has one. */
    default Optional<Preflight> preflight() {
        return Optional.empty();
    }

    /**
     * The account's quotas the config's instances count against, each with what they take of it, read where the
     * account lets them be read; empty when the provider has none (no cloud).
     */
    default List<Quota> quotas() {
        return List.of();
    }

    /** A line on what the project's instances have cost so far, or null when the provider cannot tell. */
    default String costSoFar(List<InstanceRecord> instances) {
        return spend(instances, true).map(Spend::line).orElse(null);
    }

    /**
     * What the project's instances have cost so far and cost now, when the provider charges for them; with
     * {@code look}, it first looks at the instances (one that stopped by itself stops counting), else it tells from
     * what it last saw.
     */
    default Optional<Spend> spend(List<InstanceRecord> instances, boolean look) {
        return Optional.empty();
    }

    /**
     * @param deleted what was (dry run: would be) deleted
     * @param kept    what is tagged with the project but deliberately kept, with why
     * @param left    what is still there after deleting
     */
    record CleanUp(List<String> deleted, List<String> kept, List<String> left) {
    }

    @Override
    default void close() {
    }
}
