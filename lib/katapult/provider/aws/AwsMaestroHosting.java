package katapult.provider.aws;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import katapult.config.AwsSettings;
import katapult.config.Config;
import katapult.config.InstanceSpec;
import katapult.cost.Spend;
import katapult.provider.InstanceStatus;
import katapult.provider.MaestroHost;
import katapult.provider.MaestroHosting;
import katapult.provider.Pricing;
import katapult.provider.ProviderException;
import katapult.provider.ShutdownEffect;
import katapult.state.InstanceRecord;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The project's maestro on EC2: one on-demand instance of {@code maestro_type}, tagged with the project and
 * {@code katapult:role=maestro}, in the region and network of the first instance entry, launched with the instance
 * profile of {@link AwsMaestroRights}. A tagged maestro that is pending, running, stopping or stopped is reused
 * (started when stopped); a launch goes through {@link AwsMaestroLaunch}, whose ClientToken makes a repeated
 * request name the same instance.
 */
final class AwsMaestroHosting implements MaestroHosting {

    /** The maestro's name as an instance record. */
    static final String NAME = "maestro";
    /** The credentials file written beside the maestro's Katapult with an endpoint override. */
    static final String CREDENTIALS_FILE = "aws-credentials";

    private final Config config;
    private final AwsRegions regions;
    private final AwsSizes sizes;
    private final AwsInstances instances;
    private final AwsConsole console;
    private final AwsMaestroRights rights;
    private final AwsMaestroLaunch launch;
    private final AwsPrices prices;

    AwsMaestroHosting(Config config, AwsRegions regions, AwsSizes sizes, AwsInstances instances, AwsConsole console,
                      AwsMaestroLaunch launch, AwsPrices prices) {
        this.config = config;
        this.regions = regions;
        this.sizes = sizes;
        this.instances = instances;
        this.console = console;
        this.rights = new AwsMaestroRights(config.project());
        this.launch = launch;
        this.prices = prices;
    }

    /** {@code maestro_type} on demand in the first entry's region, from the same sources as a worker's price. */
    @Override
    public Optional<Pricing.Quote> quote() {
        InstanceSpec spec = spec();
        AwsClients c = regions.clients(spec);
        AwsOnDemandPrices.Price price = prices.onDemandPrice(spec, c.region);
        return Optional.of(new Pricing.Quote(NAME, c.region, spec.aws().type(), sizes.machineCpus(spec), false,
                price.hourly(), price.source()));
    }

    /**
     * The maestro's entry: the first aws entry's region, VPC, endpoint and SSH settings, the newest Ubuntu LTS,
     * {@code maestro_type}, on demand, no disk or cpu settings of the workers'.
     */
    InstanceSpec spec() {
        InstanceSpec first = config.instances().stream().filter(s -> s.settings() instanceof AwsSettings)
                .findFirst().orElseThrow(() -> new ProviderException("the remote maestro runs in the region of the"
                        + " first aws instance entry: the config has none"));
        AwsSettings a = first.aws();
        return new InstanceSpec(NAME, null, 1, false, new AwsSettings(a.region(), a.cloudId(), null, null,
                config.maestroType(), null, null, null, false, null, null, a.endpoint(), a.sshPort(), a.sshCidr(),
                config.lifecycle(), null));
    }

    @Override
    public MaestroHost ensure(Consumer<String> progress) throws IOException {
        InstanceSpec spec = spec();
        AwsClients c = regions.clients(spec);
        try {
            Optional<Instance> found = current(c);
            Instance instance;
            if (found.isPresent()) {
                instance = instances.revive(c, found.get(), progress);
            } else {
                progress.accept("making the maestro's role and instance profile");
                String profile = rights.ensure(c);
                instance = launch.launch(c, spec, profile, progress);
            }
            console.readFingerprints(c, instance.instanceId());
            // its time counts in the project's spend like a worker's, from this machine's ledger
            prices.maestroUsage().started(instance.instanceId(), NAME,
                    prices.onDemandPrice(spec, c.region).hourly());
            return host(c, instance, InstanceStatus.RUNNING);
        } catch (AwsServiceException e) {
            throw new IOException("maestro: " + AwsCalls.message(e), e);
        } catch (SdkClientException e) {
            throw new IOException("maestro: cannot reach AWS in " + c.region + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<MaestroHost> find() throws IOException {
        AwsClients c = regions.clients(spec());
        try {
            Optional<Instance> found = current(c);
            return found.isEmpty() ? Optional.empty()
                    : Optional.of(host(c, found.get(), AwsInstances.status(found.get().state().name())));
        } catch (AwsServiceException | SdkClientException e) {
            throw new IOException("maestro: cannot look it up in " + c.region + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> remove(Consumer<String> progress) throws IOException {
        AwsClients c = regions.clients(spec());
        List<String> removed = new ArrayList<>();
        try {
            List<String> ids = maestros(c).stream().map(Instance::instanceId).toList();
            if (!ids.isEmpty()) {
                progress.accept("terminating the maestro " + String.join(", ", ids));
                // the instance profile goes once no instance uses it
                instances.terminate(c, ids);
                for (String id : ids) {
                    console.forget(id);
                    prices.maestroUsage().ended(id);
                    removed.add("instance " + id + " (" + c.region + ")");
                }
            }
            launch.forget();
            removed.addAll(rights.remove(c));
        } catch (AwsServiceException e) {
            throw new IOException("maestro: " + AwsCalls.message(e), e);
        } catch (SdkClientException e) {
            throw new IOException("maestro: cannot reach AWS in " + c.region + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * What the maestro instance has cost, from this machine's record of its starts and stops; a maestro found stopped
     * or gone stops counting from now (it may have stopped itself earlier: counted until seen).
     */
    @Override
    public Optional<Spend> spend() throws IOException {
        Optional<MaestroHost> host = find();
        if (host.isEmpty()) {
            prices.maestroUsage().endedAll();
        } else if (!InstanceStatus.RUNNING.equals(host.get().instance().status())) {
            prices.maestroUsage().ended(AwsRegions.idOf(host.get().instance()));
        }
        return Optional.of(prices.maestroUsage().spend());
    }

    /** The project's maestro instances that are not (being) terminated. */
    private List<Instance> maestros(AwsClients c) {
        return instances.instances(c, List.of(AwsTags.projectFilter(config.project()),
                Filter.builder().name("tag:" + AwsTags.ROLE).values(AwsTags.MAESTRO).build(),
                Filter.builder().name("instance-state-name").values("pending", "running", "stopping", "stopped")
                        .build()));
    }

    /** The maestro in use: the earliest launched, should a second ever exist. */
    private Optional<Instance> current(AwsClients c) {
        return maestros(c).stream().min(Comparator.comparing(Instance::launchTime,
                Comparator.nullsLast(Comparator.naturalOrder())));
    }

    private MaestroHost host(AwsClients c, Instance instance, String status) {
        InstanceRecord record = new InstanceRecord(NAME, AwsProvider.KIND, c.region + "/" + instance.instanceId(),
                sizes.machineCpus(spec()), status, AwsTags.generationOf(instance, 1), null, List.of());
        if (c.endpoint == null) {
            return new MaestroHost(record, Map.of(), Map.of(), ShutdownEffect.STOP);
        }
        // no instance metadata service behind an endpoint override: the maestro uses the caller's credentials
        return new MaestroHost(record, Map.of("AWS_ENDPOINT_URL", c.endpoint, "AWS_REGION", c.region,
                "AWS_SHARED_CREDENTIALS_FILE", CREDENTIALS_FILE, "AWS_EC2_METADATA_DISABLED", "true"),
                Map.of(CREDENTIALS_FILE, credentialsFile(regions.credentials().resolveCredentials())),
                ShutdownEffect.STOP);
    }

    /** An AWS shared-credentials file with the one profile {@code default}. */
    static String credentialsFile(AwsCredentials credentials) {
        StringBuilder file = new StringBuilder("[default]\n")
                .append("aws_access_key_id = ").append(credentials.accessKeyId()).append('\n')
                .append("aws_secret_access_key = ").append(credentials.secretAccessKey()).append('\n');
        if (credentials instanceof AwsSessionCredentials session) {
            file.append("aws_session_token = ").append(session.sessionToken()).append('\n');
        }
        return file.toString();
    }
}
