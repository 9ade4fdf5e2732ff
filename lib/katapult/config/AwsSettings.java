package katapult.config;

import java.time.Duration;

/**
 * The keys of an instance entry that the aws provider reads.
 *
 * @param region      cloud region; null for the profile's
 * @param cloudId     VPC id; null for the default VPC
 * @param imgId       machine image id; null for the newest Ubuntu LTS
 * @param imgUsername SSH user of the image, default ubuntu
 * @param type        instance type
 * @param gpu         GPU type
 * @param diskSize    root disk size in GB
 * @param diskType    root disk type: standard, gp3, io1, io2, st1, ...
 * @param eco         spot instances
 * @param ecoLife     lifetime after which an eco instance shuts itself down; null for none
 * @param maxBid      highest spot price in $/hour; null for the on-demand price
 * @param endpoint    EC2/IAM endpoint override
 * @param sshPort     port the instances' SSH server listens on, default 22
 * @param sshCidr     who may reach the SSH port; null for the caller's public address
 * @param lifecycle   when the instance shuts itself down (the global keys, overridden by the entry's)
 * @param spotFallback with eco: after this many spot interruptions of the entry's instances, launch on-demand;
 *                    null when off
 */
public record AwsSettings(String region, String cloudId, String imgId, String imgUsername, String type, String gpu,
                          Integer diskSize, String diskType, boolean eco, Duration ecoLife, Double maxBid,
                          String endpoint, Integer sshPort, String sshCidr, Lifecycle lifecycle, Integer spotFallback)
        implements InstanceSettings {

    /** What an entry of another provider has: nothing set. */
    public static final AwsSettings NONE = new AwsSettings(null, null, null, null, null, null, null, null, false, null,
            null, null, null, null, Lifecycle.DEFAULT, null);

    /** The same settings, on-demand (no spot market): what {@code spot_fallback} launches. */
    public AwsSettings onDemand() {
        return new AwsSettings(region, cloudId, imgId, imgUsername, type, gpu, diskSize, diskType, false, ecoLife, maxBid,
                endpoint, sshPort, sshCidr, lifecycle, spotFallback);
    }
}
