package katapult.config;

import java.time.Duration;

/**
 * One instance entry of the config; {@code number} and {@code explode} are expanded by the planner.
 * Keys that do not apply to the chosen provider are kept but ignored (and reported by {@code check}).
 *
 * @param name        base name of the instance(s); default {@code <provider>-<index>}
 * @param region      cloud region (aws)
 * @param cloudId     VPC id (aws); null for the default VPC
 * @param imgId       machine image id (aws); null for the newest Ubuntu LTS
 * @param imgUsername SSH user of the image (aws), default ubuntu
 * @param type        instance type (aws)
 * @param cpus        cpu budget of one instance: how many cpus_req its runs may use at once; null for the machine's count
 * @param gpu         GPU type (aws)
 * @param diskSize    root disk size in GB (aws)
 * @param diskType    root disk type (aws): standard, gp3, io1, io2, st1, ...
 * @param eco         spot instances (aws)
 * @param ecoLife     lifetime after which an eco instance shuts itself down; null for none
 * @param maxBid      highest spot price in $/hour; null for the on-demand price
 * @param number      how many instances of this entry
 * @param explode     may a cpus request larger than one machine be split over several instances
 * @param host        host name or address (ssh)
 * @param user        SSH user (ssh)
 * @param port        SSH port (ssh), default 22
 * @param key         private key file (ssh); null for the ~/.ssh defaults
 * @param endpoint    EC2/IAM endpoint override (aws)
 * @param sshPort     port the instances' SSH server listens on (aws), default 22
 * @param sshCidr     who may reach the SSH port (aws); null for the caller's public address
 */
public record InstanceSpec(
        String name,
        String region,
        String cloudId,
        String imgId,
        String imgUsername,
        String type,
        Integer cpus,
        String gpu,
        Integer diskSize,
        String diskType,
        boolean eco,
        Duration ecoLife,
        Double maxBid,
        int number,
        boolean explode,
        String host,
        String user,
        Integer port,
        String key,
        String endpoint,
        Integer sshPort,
        String sshCidr) {

    /**
     * How many machines one copy of this entry takes when a machine holds at most {@code machineCpus}: with
     * {@code explode}, a larger {@code cpus} is split over as many as it needs.
     */
    public int pieces(int cpus, int machineCpus) {
        int max = Math.max(1, machineCpus);
        return explode && cpus > max ? (int) ((cpus + (long) max - 1) / max) : 1;
    }
}
