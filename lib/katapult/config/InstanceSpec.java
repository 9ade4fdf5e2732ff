package katapult.config;

/**
 * One instance entry of the config; {@code number} and {@code explode} are expanded by the planner. What only one
 * provider reads is in {@link #settings()}.
 *
 * @param name     base name of the instance(s); default {@code <provider>-<index>}
 * @param cpus     cpu budget of one instance: how many cpus_req its runs may use at once; null for the machine's count
 * @param number   how many instances of this entry
 * @param explode  may a cpus request larger than one machine be split over several instances
 * @param settings the keys of the provider in force
 */
public record InstanceSpec(String name, Integer cpus, int number, boolean explode, InstanceSettings settings) {

    /** The aws keys; {@link AwsSettings#NONE} for an entry of another provider. */
    public AwsSettings aws() {
        return settings instanceof AwsSettings a ? a : AwsSettings.NONE;
    }

    /** The ssh keys (slurm: its login node's); {@link SshHostSettings#NONE} for an entry of another provider. */
    public SshHostSettings ssh() {
        if (settings instanceof SlurmSettings slurm) {
            return slurm.login();
        }
        return settings instanceof SshHostSettings s ? s : SshHostSettings.NONE;
    }

    /** The slurm keys; null for an entry of another provider. */
    public SlurmSettings slurm() {
        return settings instanceof SlurmSettings s ? s : null;
    }

    public InstanceSpec withName(String newName) {
        return new InstanceSpec(newName, cpus, number, explode, settings);
    }

    public InstanceSpec withCpus(Integer newCpus) {
        return new InstanceSpec(name, newCpus, number, explode, settings);
    }

    public InstanceSpec withNumber(int newNumber) {
        return new InstanceSpec(name, cpus, newNumber, explode, settings);
    }

    public InstanceSpec withExplode(boolean newExplode) {
        return new InstanceSpec(name, cpus, number, newExplode, settings);
    }

    public InstanceSpec withSettings(InstanceSettings newSettings) {
        return new InstanceSpec(name, cpus, number, explode, newSettings);
    }

    /**
     * How many machines one copy of this entry takes when a machine holds at most {@code machineCpus}: with
     * {@code explode}, a larger {@code cpus} is split over as many as it needs.
     */
    public int pieces(int cpus, int machineCpus) {
        int max = Math.max(1, machineCpus);
        return explode && cpus > max ? (int) ((cpus + (long) max - 1) / max) : 1;
    }
}
