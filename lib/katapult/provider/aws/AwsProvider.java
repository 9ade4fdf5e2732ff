package katapult.provider.aws;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import katapult.config.Config;
import katapult.config.InstanceSpec;
import katapult.cost.Spend;
import katapult.plan.InstancePlan;
import katapult.provider.MaestroHosting;
import katapult.provider.Preflight;
import katapult.provider.Pricing;
import katapult.provider.Provider;
import katapult.provider.Quota;
import katapult.provider.ShutdownEffect;
import katapult.state.InstanceRecord;
import katapult.state.MaestroMarkers;
import katapult.transport.Shell;
import katapult.transport.SshAccess;
import katapult.transport.SshTarget;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * EC2 instances through AWS SDK v2. Everything it makes is tagged {@code katapult:project} and {@code katapult:key}:
 * one security group per project and VPC (SSH from {@code ssh_cidr} only), one imported key pair (the private key
 * never leaves this machine), the instances and their volumes. Launches are idempotent (tags looked up first, a
 * ClientToken derived from project, instance, generation and subnet, written down before the request), capacity
 * errors move on to the next subnet, instances just launched may stay invisible for a while, and statuses are read
 * for all instances in one DescribeInstances.
 * <p>
 * The work is shared by package-private parts: {@link AwsRegions} (clients), {@link AwsSizes} (instance types),
 * {@link AwsLauncher} (ensure, launch), {@link AwsInstances} (lookups, waits, statuses), {@link AwsNetwork} (VPC,
 * subnets, security group), {@link AwsKeyPairs}, {@link AwsConsole} (host key fingerprints), {@link AwsTeardown}
 * ({@code down}), {@link AwsPrices} (quotes, cost so far) and {@link AwsMaestroHosting} (the remote maestro).
 */
public final class AwsProvider implements Provider {

    static final String KIND = "aws";
    public static final String TAG_PROJECT = AwsTags.PROJECT;
    public static final String TAG_KEY = AwsTags.KEY;
    public static final String TAG_GENERATION = AwsTags.GENERATION;

    private final Config config;
    private final Path stateDir;
    private final SshConnector ssh;
    private final AwsKeys keys;
    private final AwsRegions regions;
    private final AwsSizes sizes;
    private final AwsInstances instances;
    private final AwsConsole console;
    private final AwsPrices prices;
    private final AwsNetwork network;
    private final AwsLauncher launcher;
    private final AwsTeardown teardown;
    private final AwsMaestroHosting maestro;
    private final AwsQuotas quotas;

    /**
     * @param credentials   null: the config's profile or the SDK's default chain
     * @param publicAddress this machine's public IPv4 address, asked only when an entry has no {@code ssh_cidr}
     */
    public AwsProvider(Config config, Path projectStateDir, AwsTiming timing, AwsCredentialsProvider credentials,
                       SshConnector ssh, Supplier<String> publicAddress) {
        String project = config.project();
        this.config = config;
        this.stateDir = projectStateDir.toAbsolutePath();
        this.ssh = ssh;
        AwsCredentialsProvider chosen = credentials != null ? credentials : AwsClients.credentials(config.profile());
        AwsLedger ledger = new AwsLedger(this.stateDir);
        this.keys = AwsKeys.of(AwsKeys.home(), project);
        this.regions = new AwsRegions(config, timing, chosen);
        this.sizes = new AwsSizes(regions);
        this.instances = new AwsInstances(project, timing, ledger, regions);
        this.console = new AwsConsole(ledger, knownHosts());
        this.prices = new AwsPrices(regions, sizes, instances, ledger,
                endpoint -> AwsOnDemandPrices.open(endpoint, chosen), timing.billingMinimum());
        boolean onTheMaestro = MaestroMarkers.isTheMaestro();
        this.network = new AwsNetwork(config, regions, publicAddress, new AwsProjectVpc(project, ledger, timing),
                onTheMaestro);
        AwsKeyPairs keyPairs = new AwsKeyPairs(project, keys);
        this.launcher = new AwsLauncher(project, timing, ledger, regions, sizes, network, keyPairs, instances, prices,
                console);
        this.teardown = new AwsTeardown(project, keys, timing, ledger, regions, instances, network, keyPairs,
                onTheMaestro);
        this.maestro = new AwsMaestroHosting(config, regions, sizes, instances, console,
                new AwsMaestroLaunch(project, timing, ledger, sizes, network, keyPairs, instances), prices);
        this.quotas = new AwsQuotas(config, regions, sizes, new AwsServiceQuotas(chosen), maestro::spec);
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

    /** A one-time spot instance (or one with an eco_life) is terminated by its own shutdown; others stop. */
    @Override
    public ShutdownEffect onShutdown(InstanceSpec spec) {
        return AwsLaunchRequest.terminatesOnShutdown(spec) ? ShutdownEffect.TERMINATE : ShutdownEffect.STOP;
    }

    /** A spot instance's agent watches the metadata service (the system property katapult.aws.metadata in tests). */
    @Override
    public Optional<String> spotMetadata(InstanceSpec spec) {
        return spec.aws().eco()
                ? Optional.of(System.getProperty("katapult.aws.metadata", "http://169.254.169.254/latest"))
                : Optional.empty();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void notices(Consumer<String> sink) {
        regions.notices(sink);
    }

    @Override
    public void warnings(Consumer<String> sink) {
        network.warnings(sink);
    }

    public AwsKeys keys() {
        return keys;
    }

    /** Fails early, with a message to act on, when there are no credentials or no region. */
    @Override
    public Optional<Preflight> preflight() {
        return Optional.of(regions::checkAccess);
    }

    @Override
    public int machineCpus(InstanceSpec spec) {
        return sizes.machineCpus(spec);
    }

    /** The standard families' vCPU quotas, on-demand and spot, of each region the entries use. */
    @Override
    public List<Quota> quotas() {
        return quotas.read();
    }

    @Override
    public int defaultCpus(InstanceSpec spec) {
        return machineCpus(spec);
    }

    @Override
    public InstanceRecord ensure(InstancePlan plan, Optional<InstanceRecord> known, Consumer<String> progress)
            throws IOException {
        InstanceRecord record = launcher.ensure(plan, known, progress);
        if (known.isPresent() && KIND.equals(known.get().provider()) && known.get().handle() != null
                && !known.get().handle().equals(record.handle())) {
            // the instance known is gone and another took its place (maybe at its address): its pin goes with it
            console.forget(AwsRegions.idOf(known.get()));
        }
        return record;
    }

    private Path knownHosts() {
        return stateDir.resolve("known_hosts");
    }

    @Override
    public Map<String, String> statuses(List<InstanceRecord> records) throws IOException {
        return instances.statuses(records);
    }

    @Override
    public Shell shell(InstanceRecord record) throws IOException {
        AwsClients c = regions.clients(record);
        String id = AwsRegions.idOf(record);
        Instance instance;
        try {
            instance = instances.describe(c, id);
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot look up " + id + ": " + e.getMessage(), e);
        }
        if (instance == null || instance.state().name() != InstanceStateName.RUNNING
                || AwsInstances.address(instance) == null) {
            throw new IOException("instance " + record.name() + " (" + id + ") is "
                    + (instance == null ? "not found" : instance.state().name().toString()));
        }
        InstanceSpec spec = AwsTags.isMaestro(instance) ? maestro.spec() : specOf(record.name());
        List<String> fingerprints = console.fingerprints(c, id);
        return ssh.connect(id, AwsInstances.address(instance), spec.aws().sshPort() == null ? 22 : spec.aws().sshPort(),
                spec.aws().imgUsername() == null ? "ubuntu" : spec.aws().imgUsername(), keys.privateKey(), fingerprints,
                knownHosts());
    }

    /** The instance's address, the image's user and port, the project's key; the pin is under the instance id. */
    @Override
    public Optional<SshAccess> sshAccess(InstanceRecord record) throws IOException {
        AwsClients c = regions.clients(record);
        String id = AwsRegions.idOf(record);
        Instance instance;
        try {
            instance = instances.describe(c, id);
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot look up " + id + ": " + e.getMessage(), e);
        }
        if (instance == null || AwsInstances.address(instance) == null) {
            throw new IOException("instance " + record.name() + " (" + id + ") has no address: it is "
                    + (instance == null ? "not found" : instance.state().name().toString()));
        }
        InstanceSpec spec = AwsTags.isMaestro(instance) ? maestro.spec() : specOf(record.name());
        SshTarget target = new SshTarget(spec.aws().imgUsername() == null ? "ubuntu" : spec.aws().imgUsername(),
                AwsInstances.address(instance), spec.aws().sshPort() == null ? 22 : spec.aws().sshPort(),
                keys.privateKey());
        return Optional.of(new SshAccess(target, id, List.of(knownHosts())));
    }

    private InstanceSpec specOf(String instanceName) {
        return config.instances().stream()
                .filter(s -> instanceName.equals(s.name()) || instanceName.startsWith(s.name() + "-"))
                .max(Comparator.comparingInt(s -> s.name().length()))
                .orElse(config.instances().get(0));
    }

    @Override
    public void stop(InstanceRecord record) throws IOException {
        AwsClients c = regions.clients(record);
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
            prices.usage().ended(id);
            prices.maestroUsage().ended(id);     // the remote maestro is stopped the same way
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot stop " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(InstanceRecord record) throws IOException {
        AwsClients c = regions.clients(record);
        String id = AwsRegions.idOf(record);
        try {
            instances.terminate(c, List.of(id));
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot terminate " + id + ": " + e.getMessage(), e);
        }
        prices.usage().ended(id);
        console.forget(id);
    }

    /**
     * Removes everything tagged with the project: instances (waiting until they are gone), volumes left behind,
     * the security group, this machine's key pair, VPCs and IAM roles/instance profiles Katapult made. Returns what
     * was (with {@code dryRun}: would be) deleted, and, after a real run, what is still tagged.
     */
    @Override
    public CleanUp cleanUp(boolean dryRun, Consumer<String> progress) throws IOException {
        CleanUp done = teardown.cleanUp(dryRun, progress);
        if (!dryRun) {
            prices.usage().endedAll();      // every instance of the project was terminated
            prices.maestroUsage().endedAll();
        }
        return done;
    }

    /** The remote maestro: one small on-demand instance of the project, with an instance profile of its own. */
    @Override
    public Optional<MaestroHosting> maestroHosting() {
        return Optional.of(maestro);
    }

    @Override
    public Optional<Pricing> pricing() {
        return Optional.of(prices);
    }

    @Override
    public Optional<Spend> spend(List<InstanceRecord> records, boolean look) {
        return Optional.of(prices.spend(records, look));
    }

    @Override
    public void close() {
        if (ssh instanceof SshjConnector own) {
            own.close();
        }
        prices.close();
        regions.close();
    }
}
