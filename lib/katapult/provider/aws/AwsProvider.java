package katapult.provider.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import katapult.config.Config;
import katapult.config.InstanceSpec;
import katapult.plan.InstancePlan;
import katapult.provider.InstanceStatus;
import katapult.provider.Provider;
import katapult.provider.ProviderException;
import katapult.state.InstanceRecord;
import katapult.transport.Shell;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.CpuOptionsRequest;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.SpotMarketOptions;
import software.amazon.awssdk.services.ec2.model.SpotPrice;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * EC2 instances through AWS SDK v2. Everything it makes is tagged {@code katapult:project} and {@code katapult:key}:
 * one security group per project and VPC (SSH from {@code ssh_cidr} only), one imported key pair (the private key
 * never leaves this machine), the instances and their volumes. Launches are idempotent (tags looked up first, a
 * ClientToken derived from project, instance, generation and subnet, written down before the request), capacity
 * errors move on to the next subnet, instances just launched may stay invisible for a while, and statuses are read
 * for all instances in one DescribeInstances.
 */
public final class AwsProvider implements Provider {

    static final String KIND = "aws";
    public static final String TAG_PROJECT = AwsTags.PROJECT;
    public static final String TAG_KEY = AwsTags.KEY;
    public static final String TAG_GENERATION = AwsTags.GENERATION;

    private final Config config;
    private final String project;
    private final Path stateDir;
    private final AwsTiming timing;
    private final SshConnector ssh;
    private final AwsLedger ledger;
    private final AwsKeys keys;
    private final AwsRegions regions;
    private final AwsSizes sizes;
    private final AwsConsole console;
    private final AwsNetwork network;
    private final AwsKeyPairs keyPairs;
    private final AwsPrices prices;
    private final AwsLauncher launcher;
    private final AwsInstances instances;

    /**
     * @param credentials   null: the config's profile or the SDK's default chain
     * @param publicAddress this machine's public IPv4 address, asked only when an entry has no {@code ssh_cidr}
     */
    public AwsProvider(Config config, Path projectStateDir, AwsTiming timing, AwsCredentialsProvider credentials,
                       SshConnector ssh, Supplier<String> publicAddress) {
        this.config = config;
        this.project = config.project();
        this.stateDir = projectStateDir.toAbsolutePath();
        this.timing = timing;
        this.ssh = ssh;
        this.ledger = new AwsLedger(this.stateDir);
        this.keys = AwsKeys.of(AwsKeys.home(), project);
        this.regions = new AwsRegions(config, timing,
                credentials != null ? credentials : AwsClients.credentials(config.profile()));
        this.sizes = new AwsSizes(regions);
        this.console = new AwsConsole(ledger);
        this.instances = new AwsInstances(project, timing, ledger, regions);
        this.network = new AwsNetwork(config, regions, publicAddress);
        this.keyPairs = new AwsKeyPairs(project, keys);
        this.prices = new AwsPrices(regions, sizes, instances, ledger);
        this.launcher = new AwsLauncher(project, timing, ledger, regions, sizes, network, keyPairs, instances, prices,
                console);
    }

    /** The provider as the CLI makes it: credentials from the profile or the default chain, real SSH. */
    public static AwsProvider create(Config config, Path projectStateDir) {
        return create(config, projectStateDir, new SshjConnector());
    }

    /** {@link #create(Config, Path)} reaching its instances through {@code ssh} (tests pass their own hosts). */
    public static AwsProvider create(Config config, Path projectStateDir, SshConnector ssh) {
        return new AwsProvider(config, projectStateDir, AwsTiming.fromSystemProperties(), null, ssh,
                PublicAddress::lookup);
    }

    @Override
    public String kind() {
        return KIND;
    }

    public AwsKeys keys() {
        return keys;
    }

    // ------------------------------------------------------------------------------------------------ clients

    AwsClients clients(InstanceSpec spec) {
        return regions.clients(spec);
    }

    private AwsClients clients(InstanceRecord record) {
        return regions.clients(record);
    }

    /** Fails early, with a message to act on, when there are no credentials or no region. */
    public void checkAccess() {
        regions.checkAccess();
    }

    // ------------------------------------------------------------------------------------------------ sizes

    @Override
    public int machineCpus(InstanceSpec spec) {
        return sizes.machineCpus(spec);
    }

    @Override
    public int defaultCpus(InstanceSpec spec) {
        return machineCpus(spec);
    }

    // ------------------------------------------------------------------------------------------------ ensure

    @Override
    public InstanceRecord ensure(InstancePlan plan, Optional<InstanceRecord> known, Consumer<String> progress)
            throws IOException {
        return launcher.ensure(plan, known, progress);
    }

    // ------------------------------------------------------------------------------------------------ lookups

    @Override
    public Map<String, String> statuses(List<InstanceRecord> records) throws IOException {
        return instances.statuses(records);
    }

    // ------------------------------------------------------------------------------------------------ shell

    @Override
    public Shell shell(InstanceRecord record) throws IOException {
        AwsClients c = clients(record);
        String id = AwsRegions.idOf(record);
        Instance instance;
        try {
            instance = instances.describe(c, id);
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot look up " + id + ": " + e.getMessage(), e);
        }
        if (instance == null || instance.state().name() != InstanceStateName.RUNNING || AwsInstances.address(instance) == null) {
            throw new IOException("instance " + record.name() + " (" + id + ") is "
                    + (instance == null ? "not found" : instance.state().name().toString()));
        }
        InstanceSpec spec = specOf(record.name());
        List<String> fingerprints = console.fingerprints(c, id);
        return ssh.connect(AwsInstances.address(instance), spec.sshPort() == null ? 22 : spec.sshPort(),
                spec.imgUsername() == null ? "ubuntu" : spec.imgUsername(), keys.privateKey(), fingerprints,
                stateDir.resolve("known_hosts"));
    }

    private InstanceSpec specOf(String instanceName) {
        return config.instances().stream()
                .filter(s -> instanceName.equals(s.name()) || instanceName.startsWith(s.name() + "-"))
                .max(Comparator.comparingInt(s -> s.name().length()))
                .orElse(config.instances().get(0));
    }

    // ------------------------------------------------------------------------------------------------ stop, remove

    @Override
    public void stop(InstanceRecord record) throws IOException {
        AwsClients c = clients(record);
        String id = AwsRegions.idOf(record);
        try {
            Instance instance = instances.describe(c, id);
            if (instance == null || AwsInstances.gone(instance)) {
                return;
            }
            if (instance.instanceLifecycleAsString() != null && instance.instanceLifecycleAsString().equals("spot")) {
                // a one-time spot instance cannot be stopped: its runs are fetched, so it goes
                remove(record);
                return;
            }
            c.ec2.stopInstances(r -> r.instanceIds(id));
            instances.await(c, id, InstanceStateName.STOPPED);
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot stop " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(InstanceRecord record) throws IOException {
        AwsClients c = clients(record);
        String id = AwsRegions.idOf(record);
        try {
            instances.terminate(c, List.of(id));
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot terminate " + id + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ down

    /**
     * Removes everything tagged with the project: instances (waiting until they are gone), volumes left behind,
     * the security group, this machine's key pair, VPCs and IAM roles/instance profiles Katapult made. Returns what
     * was (with {@code dryRun}: would be) deleted, and, after a real run, what is still tagged.
     */
    @Override
    public CleanUp cleanUp(boolean dryRun, Consumer<String> progress) throws IOException {
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> left = new ArrayList<>();
        Set<String> keptIds = new LinkedHashSet<>();
        String ourKey = keys.exists() ? keys.keyPairName(project) : null;
        try {
            for (AwsClients c : regions.all()) {
                List<String> ids = instances.instances(c, List.of(AwsTags.projectFilter(project), Filter.builder().name("instance-state-name")
                        .values("pending", "running", "stopping", "stopped").build()))
                        .stream().map(Instance::instanceId).toList();
                ids.forEach(id -> deleted.add("instance " + id + " (" + c.region + ")"));
                if (!dryRun && !ids.isEmpty()) {
                    progress.accept("terminating " + ids.size() + " instance(s) in " + c.region);
                    instances.terminate(c, ids);
                }
                for (Volume volume : c.ec2.describeVolumes(r -> r.filters(AwsTags.projectFilter(project))).volumes()) {
                    deleted.add("volume " + volume.volumeId() + " (" + c.region + ")");
                    if (!dryRun) {
                        deleteVolume(c, volume);
                    }
                }
                for (SecurityGroup group : c.ec2.describeSecurityGroups(r -> r.filters(AwsTags.projectFilter(project)))
                        .securityGroups()) {
                    deleted.add("security group " + group.groupId() + " " + group.groupName() + " (" + c.region + ")");
                    if (!dryRun) {
                        retryDependency(() -> c.ec2.deleteSecurityGroup(r -> r.groupId(group.groupId())));
                    }
                }
                for (KeyPairInfo pair : c.ec2.describeKeyPairs(r -> r.filters(AwsTags.projectFilter(project))).keyPairs()) {
                    if (!pair.keyName().equals(ourKey)) {
                        kept.add("key pair " + pair.keyName() + " (" + c.region + "): made on another machine");
                        keptIds.add(pair.keyPairId());
                        continue;
                    }
                    deleted.add("key pair " + pair.keyName() + " (" + c.region + ")");
                    if (!dryRun) {
                        c.ec2.deleteKeyPair(r -> r.keyName(pair.keyName()));
                    }
                }
                for (Vpc vpc : c.ec2.describeVpcs(r -> r.filters(AwsTags.projectFilter(project))).vpcs()) {
                    deleted.add("vpc " + vpc.vpcId() + " (" + c.region + ")");
                    if (!dryRun) {
                        retryDependency(() -> c.ec2.deleteVpc(r -> r.vpcId(vpc.vpcId())));
                    }
                }
                iam(c, dryRun, deleted);
                if (!dryRun) {
                    left.addAll(leftovers(c, keptIds));
                }
            }
        } catch (Ec2Exception | software.amazon.awssdk.services.iam.model.IamException e) {
            throw new IOException("down: " + AwsCalls.message(e), e);
        } catch (SdkClientException e) {
            throw new IOException("down: cannot reach AWS: " + e.getMessage(), e);
        }
        if (!dryRun) {
            keyPairs.forget();
            network.forgetSecurityGroups();
            ledger.update(d -> {
                d.epoch = java.util.UUID.randomUUID().toString();
                d.launches.clear();
                d.fingerprints.clear();
            });
        }
        return new CleanUp(deleted, kept, left);
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
    private void iam(AwsClients c, boolean dryRun, List<String> deleted) {
        String path = "/katapult/" + project + "/";
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
                Filter.builder().name("key").values(TAG_PROJECT).build(),
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
                if (!Set.of("DependencyViolation", "VolumeInUse").contains(AwsCalls.code(e)) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                AwsCalls.sleep(timing.poll());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ prices

    /**
     * The hourly price of each planned instance: spot from DescribeSpotPriceHistory; on-demand prices need the AWS
     * Price List API, which this build does not call, so they are unknown (null).
     */
    public List<Quote> quote(List<InstancePlan> plans) {
        return prices.quote(plans);
    }

    /** One line of {@code katapult plan}. */
    public record Quote(String instance, String region, String type, int cpus, boolean spot, Double hourly,
                        String note) {
    }

    @Override
    public String costSoFar(List<InstanceRecord> records) {
        return prices.costSoFar(records);
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    @Override
    public void close() {
        if (ssh instanceof SshjConnector own) {
            own.close();
        }
        regions.close();
    }
}
