package katapult.provider.aws;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import katapult.config.InstanceSpec;
import katapult.plan.InstancePlan;
import katapult.provider.LaunchException;
import katapult.util.Hashes;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileSpecification;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Launches the maestro like a worker ({@link AwsLaunchRequest}: the project's key pair, security group and subnets,
 * on demand, stopped by its own shutdown) with its instance profile and the tag {@code katapult:role=maestro}. The
 * launch is written down in the ledger before it is requested, with a ClientToken derived from the ledger's epoch,
 * the project, the maestro's generation and the subnet: a Katapult killed during the call and run again gets the
 * same instance. A new instance profile takes a few seconds to be usable by EC2: RunInstances is repeated meanwhile.
 */
final class AwsMaestroLaunch {

    /** The maestro's entry in the ledger's launches (no instance name has a colon). */
    static final String LEDGER_KEY = "katapult:maestro";

    private final String project;
    private final AwsTiming timing;
    private final AwsLedger ledger;
    private final AwsSizes sizes;
    private final AwsNetwork network;
    private final AwsKeyPairs keyPairs;
    private final AwsInstances instances;

    AwsMaestroLaunch(String project, AwsTiming timing, AwsLedger ledger, AwsSizes sizes, AwsNetwork network,
                     AwsKeyPairs keyPairs, AwsInstances instances) {
        this.project = project;
        this.timing = timing;
        this.ledger = ledger;
        this.sizes = sizes;
        this.network = network;
        this.keyPairs = keyPairs;
        this.instances = instances;
    }

    /** Launches the maestro with the instance profile {@code profile} and waits until it runs with an address. */
    Instance launch(AwsClients c, InstanceSpec spec, String profile, Consumer<String> progress) throws IOException {
        ledger.usePlace(c);
        InstanceTypeInfo type = sizes.type(spec);
        Image image = AwsImages.image(c, spec, type);
        String vpc = network.vpc(c, spec);
        var placement = new AwsLaunchRequest.Placement(type, image, network.securityGroup(c, vpc),
                keyPairs.keyPair(c));
        InstancePlan plan = new InstancePlan(AwsMaestroHosting.NAME, spec, sizes.machineCpus(spec));
        List<Subnet> subnets = network.subnets(c, vpc);
        AwsLedger.Launch previous = ledger.launch(LEDGER_KEY);
        int generation = previous == null ? 1 : previous.generation;
        int start = previous == null || previous.subnetIndex >= subnets.size() ? 0 : previous.subnetIndex;
        List<String> full = new ArrayList<>();
        for (int k = 0; k < subnets.size(); k++) {
            int index = (start + k) % subnets.size();
            Subnet subnet = subnets.get(index);
            writeDown(generation, index);
            progress.accept("launching the maestro (" + spec.aws().type() + ") in " + subnet.availabilityZone());
            try {
                Instance instance = runInstances(c, request(plan, generation, placement, subnet, profile));
                if (AwsInstances.gone(instance)) {
                    // the token named a maestro removed since: the next generation gets a new token
                    ledger.update(d -> d.launches.get(LEDGER_KEY).generation = generation + 1);
                    return launch(c, spec, profile, progress);
                }
                ledger.update(d -> d.launches.get(LEDGER_KEY).instanceId = instance.instanceId());
                progress.accept("launched the maestro " + instance.instanceId() + "; waiting for it to run");
                return instances.await(c, instance.instanceId(), InstanceStateName.RUNNING);
            } catch (Ec2Exception e) {
                if (!AwsLauncher.CAPACITY_ERRORS.contains(AwsCalls.code(e))) {
                    throw e;
                }
                full.add(subnet.availabilityZone());
                progress.accept("no " + spec.aws().type() + " capacity in " + subnet.availabilityZone()
                        + ": trying the next subnet");
            }
        }
        throw new LaunchException("no capacity for the maestro's " + spec.aws().type() + " in " + c.region
                + ", tried " + String.join(", ", full) + ": try later, or another maestro_type");
    }

    /** A later launch (after the maestro was removed) gets a new token, hence a new instance. */
    void forget() {
        if (ledger.launch(LEDGER_KEY) != null) {
            ledger.update(d -> {
                AwsLedger.Launch launch = d.launches.get(LEDGER_KEY);
                launch.generation++;
                launch.instanceId = null;
            });
        }
    }

    private void writeDown(int generation, int subnetIndex) {
        ledger.update(d -> {
            AwsLedger.Launch launch = new AwsLedger.Launch();
            launch.generation = generation;
            launch.subnetIndex = subnetIndex;
            launch.requestedAt = System.currentTimeMillis();
            d.launches.put(LEDGER_KEY, launch);
        });
    }

    /** A worker's request, plus the maestro's role tag and instance profile. */
    RunInstancesRequest request(InstancePlan plan, int generation, AwsLaunchRequest.Placement placement,
                                Subnet subnet, String profile) {
        RunInstancesRequest worker = AwsLaunchRequest.build(project, plan, generation, placement, subnet,
                clientToken(generation, subnet.subnetId()));
        Tag role = AwsTags.tag(AwsTags.ROLE, AwsTags.MAESTRO);
        List<TagSpecification> tags = worker.tagSpecifications().stream().map(t -> {
            List<Tag> all = new ArrayList<>(t.tags());
            all.add(role);
            return t.toBuilder().tags(all).build();
        }).toList();
        return worker.toBuilder().tagSpecifications(tags)
                .iamInstanceProfile(IamInstanceProfileSpecification.builder().name(profile).build()).build();
    }

    /** Repeats the request while EC2 does not know the new instance profile yet (IAM is eventually consistent). */
    private Instance runInstances(AwsClients c, RunInstancesRequest request) {
        Instant deadline = Instant.now().plus(timing.waitLimit());
        while (true) {
            try {
                return c.launcher.runInstances(request).instances().get(0);
            } catch (Ec2Exception e) {
                boolean unknownProfile = "InvalidParameterValue".equals(AwsCalls.code(e))
                        && String.valueOf(e.getMessage()).contains("iamInstanceProfile");
                boolean throttled = "RequestLimitExceeded".equals(AwsCalls.code(e));
                if (!(unknownProfile || throttled) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                AwsCalls.sleep(timing.poll().multipliedBy(5));
            }
        }
    }

    String clientToken(int generation, String subnet) {
        return "katapult-" + Hashes.of(ledger.get().epoch + "\n" + project + "\n" + LEDGER_KEY + "\n" + generation
                + "\n" + subnet).substring(0, 48);
    }
}
