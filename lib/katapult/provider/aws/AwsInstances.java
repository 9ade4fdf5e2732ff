package katapult.provider.aws;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import katapult.provider.InstanceStatus;
import katapult.state.InstanceRecord;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * The project's instances as EC2 shows them: by id or by tag, waited for until they reach a state, started,
 * terminated. Instances just launched may stay invisible for a while (EC2 is eventually consistent): the ledger
 * says which. The last state seen of each instance is kept for the cost so far.
 */
final class AwsInstances {

    private final String project;
    private final AwsTiming timing;
    private final AwsLedger ledger;
    private final AwsRegions regions;
    private final Map<String, Instance> lastSeen = new ConcurrentHashMap<>();

    AwsInstances(String project, AwsTiming timing, AwsLedger ledger, AwsRegions regions) {
        this.project = project;
        this.timing = timing;
        this.ledger = ledger;
        this.regions = regions;
    }

    /** The instance as the last DescribeInstances showed it, or null. */
    Instance lastSeen(String id) {
        return lastSeen.get(id);
    }

    /** An instance by id, or null when EC2 does not show it (yet, or any more). */
    Instance describe(AwsClients c, String id) {
        List<Instance> found = instances(c, List.of(Filter.builder().name("instance-id").values(id).build()));
        return found.isEmpty() ? null : found.get(0);
    }

    /** Waits while an instance launched moments ago is still invisible; null if it stays so. */
    Instance waitVisible(AwsClients c, String id, String name) {
        Instance found = describe(c, id);
        while (found == null && recentlyLaunched(name, id)) {
            AwsCalls.sleep(timing.poll());
            found = describe(c, id);
        }
        return found;
    }

    boolean recentlyLaunched(String name, String id) {
        AwsLedger.Launch launch = ledger.launch(name);
        return launch != null && (id == null || id.equals(launch.instanceId) || launch.instanceId == null)
                && System.currentTimeMillis() - launch.requestedAt < timing.notFoundGrace().toMillis();
    }

    List<Instance> instances(AwsClients c, List<Filter> filters) {
        List<Instance> found = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            var page = c.ec2.describeInstances(r -> r.filters(filters).nextToken(token));
            page.reservations().forEach(res -> found.addAll(res.instances()));
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        found.forEach(i -> lastSeen.put(i.instanceId(), i));
        return found;
    }

    /**
     * The project's live instance for this name, by tag; the newest generation when there are several. The maestro
     * is never one, even for an instance entry named like it.
     */
    Optional<Instance> findByTag(AwsClients c, String name) {
        return instances(c, List.of(
                Filter.builder().name("tag:" + AwsTags.PROJECT).values(project).build(),
                Filter.builder().name("tag:" + AwsTags.KEY).values(name).build(),
                Filter.builder().name("instance-state-name")
                        .values("pending", "running", "stopping", "stopped").build()))
                .stream().filter(i -> !AwsTags.isMaestro(i)).max(Comparator.comparingInt(i -> AwsTags.generationOf(i, 0)));
    }

    Instance await(AwsClients c, String id, InstanceStateName wanted) throws IOException {
        Instant deadline = Instant.now().plus(timing.waitLimit());
        while (true) {
            Instance instance = describe(c, id);
            if (instance != null) {
                InstanceStateName state = instance.state().name();
                if (state == wanted && (wanted != InstanceStateName.RUNNING || address(instance) != null)) {
                    return instance;
                }
                if (gone(instance) && wanted != InstanceStateName.TERMINATED) {
                    throw new IOException("instance " + id + " is " + state + " while waiting for it to be "
                            + wanted + reason(instance));
                }
            } else if (wanted == InstanceStateName.TERMINATED) {
                return null;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("instance " + id + " is still not " + wanted + " after "
                        + timing.waitLimit().toMinutes() + " min");
            }
            AwsCalls.sleep(timing.poll());
        }
    }

    private static String reason(Instance instance) {
        return instance.stateReason() == null ? "" : " (" + instance.stateReason().message() + ")";
    }

    static boolean gone(Instance instance) {
        InstanceStateName state = instance.state().name();
        return state == InstanceStateName.TERMINATED || state == InstanceStateName.SHUTTING_DOWN;
    }

    static String address(Instance instance) {
        return instance.publicIpAddress();
    }

    /** Starts a stopped (or stopping) instance and waits until it runs with an address. */
    Instance revive(AwsClients c, Instance instance, Consumer<String> progress) throws IOException {
        InstanceStateName state = instance.state().name();
        if (state == InstanceStateName.STOPPING) {
            progress.accept(instance.instanceId() + " is stopping: waiting to start it again");
            instance = await(c, instance.instanceId(), InstanceStateName.STOPPED);
            state = instance.state().name();
        }
        if (state == InstanceStateName.STOPPED) {
            progress.accept("starting stopped instance " + instance.instanceId() + " (its disk is kept)");
            String id = instance.instanceId();
            c.ec2.startInstances(r -> r.instanceIds(id));
        }
        return await(c, instance.instanceId(), InstanceStateName.RUNNING);
    }

    /** Each record's status, read for all instances of a region in one DescribeInstances. */
    Map<String, String> statuses(List<InstanceRecord> instances) throws IOException {
        Map<String, String> statuses = new LinkedHashMap<>();
        Map<String, List<InstanceRecord>> byRegion = new LinkedHashMap<>();
        for (InstanceRecord record : instances) {
            byRegion.computeIfAbsent(AwsRegions.regionOf(record), k -> new ArrayList<>()).add(record);
        }
        for (List<InstanceRecord> records : byRegion.values()) {
            AwsClients c = regions.clients(records.get(0));
            Map<String, Instance> seen = new LinkedHashMap<>();
            try {
                instances(c, List.of(Filter.builder().name("instance-id")
                        .values(records.stream().map(AwsRegions::idOf).toList()).build()))
                        .forEach(i -> seen.put(i.instanceId(), i));
            } catch (Ec2Exception | SdkClientException e) {
                throw new IOException("cannot read instance states in " + c.region + ": " + e.getMessage(), e);
            }
            for (InstanceRecord record : records) {
                String id = AwsRegions.idOf(record);
                Instance instance = seen.get(id);
                statuses.put(record.name(), instance == null
                        ? (recentlyLaunched(record.name(), id) ? InstanceStatus.PENDING : InstanceStatus.GONE)
                        : status(instance.state().name()));
            }
        }
        return statuses;
    }

    static String status(InstanceStateName state) {
        return switch (state) {
            case PENDING -> InstanceStatus.PENDING;
            case RUNNING -> InstanceStatus.RUNNING;
            case STOPPING, STOPPED -> InstanceStatus.STOPPED;
            default -> InstanceStatus.GONE;
        };
    }

    /** Terminates the instances and waits until they are gone; an id EC2 no longer knows is gone already. */
    void terminate(AwsClients c, List<String> ids) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        try {
            c.ec2.terminateInstances(r -> r.instanceIds(ids));
        } catch (Ec2Exception e) {
            if (!"InvalidInstanceID.NotFound".equals(AwsCalls.code(e))) {
                throw e;
            }
        }
        for (String id : ids) {
            await(c, id, InstanceStateName.TERMINATED);
        }
    }
}
