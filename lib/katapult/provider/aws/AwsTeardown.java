package katapult.provider.aws;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import katapult.provider.Provider.CleanUp;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * {@code katapult down}: everything tagged with the project goes, region by region, in an order that lets each
 * deletion succeed (instances first, then their security group, the project's own network: gateway, subnets, route
 * table, and its VPC last); a dry run only lists it. A key pair made
 * on another machine for the same project is kept: its private half is not here.
 */
final class AwsTeardown {

    /** What a clean-up found, filled region by region. */
    private record Tally(List<String> deleted, List<String> kept, List<String> left, Set<String> keptIds) {

        static Tally empty() {
            return new Tally(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new LinkedHashSet<>());
        }
    }

    private final String project;
    private final AwsKeys keys;
    private final AwsTiming timing;
    private final AwsLedger ledger;
    private final AwsRegions regions;
    private final AwsInstances instances;
    private final AwsNetwork network;
    private final AwsKeyPairs keyPairs;
    private final boolean onTheMaestro;

    /**
     * @param onTheMaestro whether this runs on the project's remote maestro: its {@code down} then removes the workers
     *                     and their volumes only, as the maestro itself runs on the rest (its instance, security group,
     *                     key pair, network, rights), which the laptop's {@code down} removes after it
     */
    AwsTeardown(String project, AwsKeys keys, AwsTiming timing, AwsLedger ledger, AwsRegions regions,
                AwsInstances instances, AwsNetwork network, AwsKeyPairs keyPairs, boolean onTheMaestro) {
        this.onTheMaestro = onTheMaestro;
        this.project = project;
        this.keys = keys;
        this.timing = timing;
        this.ledger = ledger;
        this.regions = regions;
        this.instances = instances;
        this.network = network;
        this.keyPairs = keyPairs;
    }

    /**
     * Removes everything tagged with the project: instances (waiting until they are gone), volumes left behind,
     * the security group, this machine's key pair, VPCs and IAM roles/instance profiles Katapult made. Returns what
     * was (with {@code dryRun}: would be) deleted, and, after a real run, what is still tagged.
     */
    CleanUp cleanUp(boolean dryRun, Consumer<String> progress) throws IOException {
        Tally tally = Tally.empty();
        String ourKey = keys.exists() ? keys.keyPairName(project) : null;
        try {
            for (AwsClients c : regions.all(ledger.places())) {
                clean(c, dryRun, ourKey, tally, progress);
            }
        } catch (Ec2Exception | IamException e) {
            throw new IOException("down: " + AwsCalls.message(e), e);
        } catch (SdkClientException e) {
            throw new IOException("down: cannot reach AWS: " + e.getMessage(), e);
        }
        if (!dryRun) {
            forget();
        }
        return new CleanUp(tally.deleted(), tally.kept(), tally.left());
    }

    private void clean(AwsClients c, boolean dryRun, String ourKey, Tally tally, Consumer<String> progress)
            throws IOException {
        List<String> deleted = tally.deleted();
        terminateInstances(c, dryRun, deleted, progress);
        deleteVolumes(c, dryRun, deleted);
        if (onTheMaestro) {
            tally.kept().add("the maestro, its security group, key pair, network and rights in " + c.region
                    + " (the maestro runs on them: `katapult down` on the laptop removes them)");
            return;
        }
        deleteSecurityGroups(c, dryRun, deleted);
        deleteKeyPairs(c, dryRun, ourKey, tally);
        deleteNetwork(c, dryRun, deleted);
        deleteVpcs(c, dryRun, deleted);
        deleteIam(c, dryRun, deleted);
        if (!dryRun) {
            tally.left().addAll(leftovers(c, tally.keptIds()));
        }
    }

    private void terminateInstances(AwsClients c, boolean dryRun, List<String> deleted, Consumer<String> progress)
            throws IOException {
        List<String> ids = instances.instances(c, List.of(AwsTags.projectFilter(project),
                        Filter.builder().name("instance-state-name")
                                .values("pending", "running", "stopping", "stopped").build()))
                .stream().filter(i -> !(onTheMaestro && AwsTags.isMaestro(i))).map(Instance::instanceId).toList();
        ids.forEach(id -> deleted.add("instance " + id + " (" + c.region + ")"));
        if (!dryRun && !ids.isEmpty()) {
            progress.accept("terminating " + ids.size() + " instance(s) in " + c.region);
            instances.terminate(c, ids);
        }
    }

    /** The project's volumes; on the maestro, not the maestro's own (tagged like it): it runs on them. */
    private void deleteVolumes(AwsClients c, boolean dryRun, List<String> deleted) {
        for (Volume volume : c.ec2.describeVolumes(r -> r.filters(AwsTags.projectFilter(project))).volumes()) {
            if (onTheMaestro && volume.tags().stream()
                    .anyMatch(t -> AwsTags.ROLE.equals(t.key()) && AwsTags.MAESTRO.equals(t.value()))) {
                continue;
            }
            deleted.add("volume " + volume.volumeId() + " (" + c.region + ")");
            if (!dryRun) {
                deleteVolume(c, volume);
            }
        }
    }

    private void deleteSecurityGroups(AwsClients c, boolean dryRun, List<String> deleted) {
        for (SecurityGroup group : c.ec2.describeSecurityGroups(r -> r.filters(AwsTags.projectFilter(project)))
                .securityGroups()) {
            deleted.add("security group " + group.groupId() + " " + group.groupName() + " (" + c.region + ")");
            if (!dryRun) {
                retryDependency(() -> c.ec2.deleteSecurityGroup(r -> r.groupId(group.groupId())));
            }
        }
    }

    /** Only this machine's key pair goes: one made elsewhere is kept (and not reported as left over). */
    private void deleteKeyPairs(AwsClients c, boolean dryRun, String ourKey, Tally tally) {
        for (KeyPairInfo pair : c.ec2.describeKeyPairs(r -> r.filters(AwsTags.projectFilter(project))).keyPairs()) {
            if (!pair.keyName().equals(ourKey)) {
                tally.kept().add("key pair " + pair.keyName() + " (" + c.region + "): made on another machine");
                tally.keptIds().add(pair.keyPairId());
                continue;
            }
            tally.deleted().add("key pair " + pair.keyName() + " (" + c.region + ")");
            if (!dryRun) {
                c.ec2.deleteKeyPair(r -> r.keyName(pair.keyName()));
            }
        }
    }

    /**
     * The parts of the project's own network, in the order EC2 accepts: the gateway (detached first: it cannot go
     * while instances with public addresses remain, hence after them), the subnets (which ends their route table
     * associations), then the route table. The VPC itself goes with {@link #deleteVpcs}.
     */
    private void deleteNetwork(AwsClients c, boolean dryRun, List<String> deleted) {
        for (InternetGateway gateway : c.ec2.describeInternetGateways(r -> r.filters(AwsTags.projectFilter(project)))
                .internetGateways()) {
            deleted.add("internet gateway " + gateway.internetGatewayId() + " (" + c.region + ")");
            if (!dryRun) {
                for (InternetGatewayAttachment attachment : gateway.attachments()) {
                    retryDependency(() -> c.ec2.detachInternetGateway(r -> r
                            .internetGatewayId(gateway.internetGatewayId()).vpcId(attachment.vpcId())));
                }
                retryDependency(() -> c.ec2.deleteInternetGateway(r -> r
                        .internetGatewayId(gateway.internetGatewayId())));
            }
        }
        for (Subnet subnet : c.ec2.describeSubnets(r -> r.filters(AwsTags.projectFilter(project))).subnets()) {
            deleted.add("subnet " + subnet.subnetId() + " (" + c.region + ")");
            if (!dryRun) {
                retryDependency(() -> c.ec2.deleteSubnet(r -> r.subnetId(subnet.subnetId())));
            }
        }
        for (RouteTable table : c.ec2.describeRouteTables(r -> r.filters(AwsTags.projectFilter(project)))
                .routeTables()) {
            deleted.add("route table " + table.routeTableId() + " (" + c.region + ")");
            if (!dryRun) {
                retryDependency(() -> c.ec2.deleteRouteTable(r -> r.routeTableId(table.routeTableId())));
            }
        }
    }

    private void deleteVpcs(AwsClients c, boolean dryRun, List<String> deleted) {
        for (Vpc vpc : c.ec2.describeVpcs(r -> r.filters(AwsTags.projectFilter(project))).vpcs()) {
            deleted.add("vpc " + vpc.vpcId() + " (" + c.region + ")");
            if (!dryRun) {
                retryDependency(() -> c.ec2.deleteVpc(r -> r.vpcId(vpc.vpcId())));
            }
        }
    }

    /** Tokens of removed instances must never be reused, and what was made is made again next time. */
    private void forget() {
        keyPairs.forget();
        network.forget();
        ledger.update(d -> {
            d.epoch = UUID.randomUUID().toString();
            d.launches.clear();
            d.fingerprints.clear();
            d.networks.clear();
        });
    }

    private void deleteVolume(AwsClients c, Volume volume) {
        retryDependency(() -> {
            try {
                c.ec2.deleteVolume(r -> r.volumeId(volume.volumeId()));
            } catch (Ec2Exception e) {
                if (!"InvalidVolume.NotFound".equals(AwsCalls.code(e))) {
                    throw e;
                }
            }
        });
    }

    /** IAM roles and instance profiles under the path {@code /katapult/<project>/}. */
    private void deleteIam(AwsClients c, boolean dryRun, List<String> deleted) {
        String path = "/katapult/" + project + "/";
        deleteInstanceProfiles(c, path, dryRun, deleted);
        deleteRoles(c, path, dryRun, deleted);
    }

    private static void deleteInstanceProfiles(AwsClients c, String path, boolean dryRun, List<String> deleted) {
        for (InstanceProfile profile : c.iam.listInstanceProfiles(r -> r.pathPrefix(path)).instanceProfiles()) {
            deleted.add("instance profile " + profile.instanceProfileName());
            if (!dryRun) {
                for (Role role : profile.roles()) {
                    c.iam.removeRoleFromInstanceProfile(r -> r.instanceProfileName(profile.instanceProfileName())
                            .roleName(role.roleName()));
                }
                c.iam.deleteInstanceProfile(r -> r.instanceProfileName(profile.instanceProfileName()));
            }
        }
    }

    /** A role goes once its policies are detached or deleted. */
    private static void deleteRoles(AwsClients c, String path, boolean dryRun, List<String> deleted) {
        for (Role role : c.iam.listRoles(r -> r.pathPrefix(path)).roles()) {
            deleted.add("role " + role.roleName());
            if (!dryRun) {
                for (var policy : c.iam.listAttachedRolePolicies(r -> r.roleName(role.roleName())).attachedPolicies()) {
                    c.iam.detachRolePolicy(r -> r.roleName(role.roleName()).policyArn(policy.policyArn()));
                }
                for (String policy : c.iam.listRolePolicies(r -> r.roleName(role.roleName())).policyNames()) {
                    c.iam.deleteRolePolicy(r -> r.roleName(role.roleName()).policyName(policy));
                }
                c.iam.deleteRole(r -> r.roleName(role.roleName()));
            }
        }
    }

    /** Whatever still carries the project's tag (terminated instances and kept key pairs aside). */
    private List<String> leftovers(AwsClients c, Set<String> keptIds) {
        List<String> left = new ArrayList<>();
        List<TagDescription> tagged = c.ec2.describeTags(r -> r.filters(
                Filter.builder().name("key").values(AwsTags.PROJECT).build(),
                Filter.builder().name("value").values(project).build())).tags();
        for (TagDescription tag : tagged) {
            String id = tag.resourceId();
            if (tag.resourceTypeAsString().equals("instance")) {
                Instance instance = instances.describe(c, id);
                if (instance == null || AwsInstances.gone(instance)) {
                    continue;
                }
            }
            if (keptIds.contains(id)) {
                continue;
            }
            left.add(tag.resourceTypeAsString() + " " + id + " (" + c.region + ")");
        }
        String path = "/katapult/" + project + "/";
        c.iam.listRoles(r -> r.pathPrefix(path)).roles().forEach(r -> left.add("role " + r.roleName()));
        c.iam.listInstanceProfiles(r -> r.pathPrefix(path)).instanceProfiles()
                .forEach(p -> left.add("instance profile " + p.instanceProfileName()));
        return left;
    }

    /** Security groups, volumes and VPCs stay "in use" for a while after their instances are gone. */
    private void retryDependency(Runnable call) {
        Instant deadline = Instant.now().plus(timing.waitLimit());
        while (true) {
            try {
                call.run();
                return;
            } catch (Ec2Exception e) {
                if (!Set.of("DependencyViolation", "VolumeInUse").contains(AwsCalls.code(e))
                        || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                AwsCalls.sleep(timing.poll());
            }
        }
    }
}
