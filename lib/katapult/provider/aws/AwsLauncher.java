package katapult.provider.aws;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import katapult.config.InstanceSpec;
import katapult.plan.InstancePlan;
import katapult.provider.InstanceStatus;
import katapult.provider.LaunchException;
import katapult.state.InstanceRecord;
import katapult.util.Backoff;
import katapult.util.Hashes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Makes a planned instance exist and run, never twice: the known instance, else the one tagged with its name, else
 * a launch. A launch is written down in the ledger before it is requested, with a ClientToken derived from project,
 * instance, generation and subnet, so a repeated request names the same instance; capacity errors move on to the
 * next subnet, for {@link #LAUNCH_ROUNDS} rounds.
 */
final class AwsLauncher {

    static final Set<String> CAPACITY_ERRORS = Set.of("InsufficientInstanceCapacity", "InsufficientHostCapacity",
            "InsufficientCapacity", "InsufficientFreeAddressesInSubnet", "Unsupported");
    /** Errors no other subnet or a retry will cure. */
    static final Set<String> LIMIT_ERRORS = Set.of("InstanceLimitExceeded", "VcpuLimitExceeded",
            "MaxSpotInstanceCountExceeded", "SpotMaxPriceTooLow", "InsufficientReservedInstanceCapacity");
    /** Rounds over every subnet before a launch is given up. */
    static final int LAUNCH_ROUNDS = 2;

    private final String project;
    private final AwsTiming timing;
    private final AwsLedger ledger;
    private final AwsRegions regions;
    private final AwsSizes sizes;
    private final AwsNetwork network;
    private final AwsKeyPairs keyPairs;
    private final AwsInstances instances;
    private final AwsPrices prices;
    private final AwsConsole console;

    AwsLauncher(String project, AwsTiming timing, AwsLedger ledger, AwsRegions regions, AwsSizes sizes,
                AwsNetwork network, AwsKeyPairs keyPairs, AwsInstances instances, AwsPrices prices,
                AwsConsole console) {
        this.project = project;
        this.timing = timing;
        this.ledger = ledger;
        this.regions = regions;
        this.sizes = sizes;
        this.network = network;
        this.keyPairs = keyPairs;
        this.instances = instances;
        this.prices = prices;
        this.console = console;
    }

    InstanceRecord ensure(InstancePlan plan, Optional<InstanceRecord> known, Consumer<String> progress)
            throws IOException {
        InstanceSpec spec = plan.spec();
        AwsClients c = regions.clients(spec);
        sizes.checkGpu(spec);
        ledger.usePlace(c);
        try {
            // keeps the SSH rules in step with the config, also for instances kept
            String group = network.securityGroup(c, network.vpc(c, spec));
            Instance current = current(c, plan, known);
            if (current != null && !AwsInstances.gone(current)) {
                boolean same = known.isPresent() && AwsRegions.idOf(known.get()).equals(current.instanceId());
                current = instances.revive(c, current, progress);
                prices.usage().started(current.instanceId(), plan.name(), prices.priceNow(spec, c));
                int generation = AwsTags.generationOf(current, known.map(InstanceRecord::generation).orElse(1));
                return record(plan, c, current, generation, same ? known.get() : null);
            }
            int generation = known.map(k -> k.generation() + 1).orElseGet(() -> {
                AwsLedger.Launch launch = ledger.launch(plan.name());
                return launch == null ? 1 : launch.generation;
            });
            if (known.isPresent()) {
                progress.accept("instance " + AwsRegions.idOf(known.get()) + " is gone: replacing it (generation "
                        + generation + ")");
            }
            Instance launched = launch(plan, c, generation, group, progress);
            AwsLedger.Launch written = ledger.launch(plan.name());
            prices.usage().started(launched.instanceId(), plan.name(), written == null ? null : written.hourlyPrice);
            return record(plan, c, launched, AwsTags.generationOf(launched, generation), null);
        } catch (Ec2Exception e) {
            throw new IOException(plan.name() + ": " + AwsCalls.message(e), e);
        } catch (SdkClientException e) {
            throw new IOException(plan.name() + ": cannot reach EC2 in " + c.region + ": " + e.getMessage(), e);
        }
    }

    /** The instance known, else the one tagged with the plan's name; null or gone when there is none. */
    private Instance current(AwsClients c, InstancePlan plan, Optional<InstanceRecord> known) {
        Instance current = null;
        if (known.isPresent() && known.get().handle() != null && known.get().provider().equals(AwsProvider.KIND)) {
            current = instances.waitVisible(c, AwsRegions.idOf(known.get()), plan.name());
        }
        if (current == null || AwsInstances.gone(current)) {
            current = instances.findByTag(c, plan.name()).orElse(null);
        }
        return current;
    }

    private InstanceRecord record(InstancePlan plan, AwsClients c, Instance instance, int generation,
                                  InstanceRecord same) {
        console.readFingerprints(c, instance.instanceId());
        return new InstanceRecord(plan.name(), AwsProvider.KIND, c.region + "/" + instance.instanceId(), plan.cpus(),
                InstanceStatus.RUNNING, generation, same == null ? null : same.agentVersion(),
                same == null ? List.of() : same.envKeys());
    }

    /** Launches the instance in the project's security group {@code group} (brought in line just before). */
    private Instance launch(InstancePlan plan, AwsClients c, int generation, String group, Consumer<String> progress)
            throws IOException {
        InstanceSpec spec = plan.spec();
        InstanceTypeInfo type = sizes.type(spec);
        Image image = AwsImages.image(c, spec, type);
        String vpc = network.vpc(c, spec);
        var placement = new AwsLaunchRequest.Placement(type, image, group, keyPairs.keyPair(c));
        List<Subnet> subnets = network.subnets(c, vpc);
        AwsLedger.Launch previous = ledger.launch(plan.name());
        int start = previous != null && previous.generation == generation ? previous.subnetIndex : 0;
        Double price = spec.aws().eco() ? prices.spotPrice(c, spec.aws().type()).orElse(null)
                : prices.onDemandPrice(spec, c.region).hourly();
        List<String> full = new ArrayList<>();
        for (int k = 0; k < subnets.size() * LAUNCH_ROUNDS; k++) {
            if (k > 0 && k % subnets.size() == 0) {
                progress.accept("no capacity in any subnet: trying again (round " + (k / subnets.size() + 1)
                        + " of " + LAUNCH_ROUNDS + ")");
                AwsCalls.sleep(timing.poll().multipliedBy(10));
            }
            int index = (start + k) % subnets.size();
            Subnet subnet = subnets.get(index);
            writeDown(plan.name(), generation, index, price);
            String token = clientToken(plan.name(), generation, subnet.subnetId());
            progress.accept("launching " + spec.aws().type() + (spec.aws().eco() ? " (spot)" : "") + " from " + image.imageId()
                    + " in " + subnet.availabilityZone());
            try {
                Instance instance = runInstances(c,
                        AwsLaunchRequest.build(project, plan, generation, placement, subnet, token));
                if (AwsInstances.gone(instance)) {
                    // the token named an instance of an earlier life (state lost): make a new generation
                    return launch(plan, c, generation + 1, group, progress);
                }
                ledger.update(d -> d.launches.get(plan.name()).instanceId = instance.instanceId());
                progress.accept("launched " + instance.instanceId() + "; waiting for it to run");
                return instances.await(c, instance.instanceId(), InstanceStateName.RUNNING);
            } catch (Ec2Exception e) {
                noCapacity(e, spec, subnet, full, progress);
            }
        }
        throw new LaunchException("no capacity for " + spec.aws().type() + (spec.aws().eco() ? " spot" : "") + " in " + c.region
                + ", tried " + String.join(", ", full) + ": try later, another type or another region");
    }

    /** Before the request: a Katapult killed in the middle repeats it in the same subnet, with the same token. */
    private void writeDown(String name, int generation, int subnetIndex, Double price) {
        ledger.update(d -> {
            AwsLedger.Launch launch = new AwsLedger.Launch();
            launch.generation = generation;
            launch.subnetIndex = subnetIndex;
            launch.requestedAt = System.currentTimeMillis();
            launch.hourlyPrice = price;
            d.launches.put(name, launch);
        });
    }

    /** A capacity error is noted (the next subnet is tried); any other error ends the launch. */
    private static void noCapacity(Ec2Exception e, InstanceSpec spec, Subnet subnet, List<String> full,
                                   Consumer<String> progress) throws LaunchException {
        String code = AwsCalls.code(e);
        if (LIMIT_ERRORS.contains(code)) {
            throw new LaunchException(AwsCalls.message(e));
        }
        if (!CAPACITY_ERRORS.contains(code)) {
            throw e;
        }
        String zone = subnet.availabilityZone() + " (" + subnet.subnetId() + ")";
        if (!full.contains(zone)) {
            full.add(zone);
        }
        progress.accept("no " + spec.aws().type() + " capacity in " + subnet.availabilityZone() + " (" + code
                + "): trying the next subnet");
    }

    private Instance runInstances(AwsClients c, RunInstancesRequest request) {
        Backoff backoff = Backoff.exponential(timing.retryBase(), timing.retryMax());
        for (int attempt = 1; ; attempt++) {
            try {
                return c.launcher.runInstances(request).instances().get(0);
            } catch (Ec2Exception e) {
                // the ClientToken makes repeating a throttled launch safe
                if (!"RequestLimitExceeded".equals(AwsCalls.code(e)) || attempt >= timing.attempts()) {
                    throw e;
                }
                AwsCalls.sleep(backoff.delay(attempt));
            }
        }
    }

    /**
     * The same request gets the same token, so EC2 answers a repeated one with the instance it already made; the
     * ledger's epoch changes after each {@code down}, so a token is never reused for a new instance.
     */
    String clientToken(String instance, int generation, String subnet) {
        String epoch = ledger.get().epoch;
        return "katapult-" + Hashes.of(epoch + "\n" + project + "\n" + instance + "\n" + generation + "\n" + subnet)
                .substring(0, 48);
    }
}
