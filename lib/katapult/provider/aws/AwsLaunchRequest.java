package katapult.provider.aws;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import katapult.config.InstanceSpec;
import katapult.plan.InstancePlan;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.CpuOptionsRequest;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.SpotMarketOptions;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The RunInstances request of one launch try: the planned entry's type, image, disk, cpus, spot options and boot
 * script, in one subnet, tagged with the project, the instance and its generation.
 */
final class AwsLaunchRequest {

    /**
     * What a launch resolves once, before trying subnet after subnet.
     *
     * @param group   the project's security group in the VPC
     * @param keyName this machine's key pair in the region
     */
    record Placement(InstanceTypeInfo type, Image image, String group, String keyName) {
    }

    private AwsLaunchRequest() {
    }

    static RunInstancesRequest build(String project, InstancePlan plan, int generation, Placement placement,
                                     Subnet subnet, String token) {
        InstanceSpec spec = plan.spec();
        List<Tag> tags = List.of(AwsTags.tag(AwsTags.PROJECT, project), AwsTags.tag(AwsTags.KEY, plan.name()),
                AwsTags.tag(AwsTags.GENERATION, String.valueOf(generation)),
                AwsTags.tag("Name", project + "-" + plan.name()));
        var request = RunInstancesRequest.builder()
                .imageId(placement.image().imageId())
                .instanceType(spec.aws().type())
                .minCount(1).maxCount(1)
                .keyName(placement.keyName())
                .clientToken(token)
                .networkInterfaces(InstanceNetworkInterfaceSpecification.builder().deviceIndex(0)
                        .subnetId(subnet.subnetId()).groups(placement.group()).associatePublicIpAddress(true)
                        .deleteOnTermination(true).build())
                .tagSpecifications(
                        TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build());
        if (spec.aws().diskSize() != null || spec.aws().diskType() != null) {
            request.blockDeviceMappings(BlockDeviceMapping.builder().deviceName(placement.image().rootDeviceName())
                    .ebs(EbsBlockDevice.builder().volumeSize(spec.aws().diskSize()).volumeType(spec.aws().diskType())
                            .deleteOnTermination(true).build()).build());
        }
        CpuOptionsRequest cpuOptions = AwsSizes.cpuOptions(spec, plan.cpus(), placement.type());
        if (cpuOptions != null) {
            request.cpuOptions(cpuOptions);
        }
        if (spec.aws().eco()) {
            request.instanceMarketOptions(spot(spec));
        }
        String userData = userData(spec);
        if (userData != null) {
            request.userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)));
        }
        // the agent shuts an idle machine down: an on-demand one stops (disk and results kept); a one-time spot
        // instance cannot stop, its shutdown terminates it (the agent then waits for its results to be fetched)
        request.instanceInitiatedShutdownBehavior(terminatesOnShutdown(spec) ? ShutdownBehavior.TERMINATE
                : ShutdownBehavior.STOP);
        return request.build();
    }

    /** Whether the instance's own shutdown terminates it: a one-time spot instance, or one with an {@code eco_life}. */
    static boolean terminatesOnShutdown(InstanceSpec spec) {
        return spec.aws().eco() || spec.aws().ecoLife() != null;
    }

    /** A one-time spot instance: when interrupted it is terminated, not stopped. */
    private static InstanceMarketOptionsRequest spot(InstanceSpec spec) {
        var spot = SpotMarketOptions.builder().spotInstanceType(SpotInstanceType.ONE_TIME)
                .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE);
        if (spec.aws().maxBid() != null) {
            spot.maxPrice(String.format(Locale.ROOT, "%.4f", spec.aws().maxBid()));
        }
        return InstanceMarketOptionsRequest.builder().marketType(MarketType.SPOT).spotOptions(spot.build()).build();
    }

    /** The boot script: SSH on {@code ssh_port}, and a shutdown timer for {@code eco_life}; null when none needed. */
    static String userData(InstanceSpec spec) {
        StringBuilder script = new StringBuilder();
        int port = spec.aws().sshPort() == null ? 22 : spec.aws().sshPort();
        if (port != 22) {
            script.append("mkdir -p /etc/ssh/sshd_config.d /etc/systemd/system/ssh.socket.d\n")
                    .append("printf 'Port ").append(port).append("\\n' > /etc/ssh/sshd_config.d/katapult-port.conf\n")
                    .append("printf '[Socket]\\nListenStream=\\nListenStream=").append(port)
                    .append("\\n' > /etc/systemd/system/ssh.socket.d/katapult-port.conf\n")
                    .append("systemctl daemon-reload || true\n")
                    .append("systemctl restart ssh.socket 2>/dev/null || true\n")
                    .append("systemctl restart ssh 2>/dev/null || systemctl restart sshd 2>/dev/null || true\n");
        }
        if (spec.aws().ecoLife() != null) {
            long minutes = Math.max(1, (spec.aws().ecoLife().toSeconds() + 59) / 60);
            script.append("shutdown -h +").append(minutes).append(" 'katapult: eco_life reached'\n");
        }
        return script.length() == 0 ? null : "#!/bin/bash\n" + script;
    }
}
