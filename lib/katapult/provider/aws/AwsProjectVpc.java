package katapult.provider.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * The project's own network, for a region without a default VPC: a tagged VPC ({@link #CIDR}), a public subnet in
 * each of the region's first availability zones, an internet gateway attached to the VPC, and a route table that
 * sends 0.0.0.0/0 through the gateway, associated with every subnet. Each step first looks for what an earlier,
 * interrupted call made (by the project's tags, or by attachment to the VPC), so a Katapult killed at any point,
 * run again, completes the network and never makes a second VPC for the project.
 */
final class AwsProjectVpc {

    static final String CIDR = "10.77.0.0/16";
    /** Subnets are /20 blocks of the VPC: 16 of them at most, one per zone used. */
    private static final int SUBNET_BLOCKS = 16;
    /** Enough zones for capacity errors in one to move the launch on to another. */
    private static final int MAX_ZONES = 3;
    private static final String ANYWHERE = "0.0.0.0/0";

    private final String project;
    private final AwsLedger ledger;
    private final AwsTiming timing;

    AwsProjectVpc(String project, AwsLedger ledger, AwsTiming timing) {
        this.project = project;
        this.ledger = ledger;
        this.timing = timing;
    }

    /** The value of {@link AwsTags#KEY} on every part of the network. */
    String name() {
        return "katapult-" + project + "-network";
    }

    /** The project's VPC in {@code c}'s region, made or completed as needed; its id. */
    synchronized String ensure(AwsClients c) {
        String vpc = vpc(c);
        List<Subnet> subnets = subnets(c, vpc);
        String gateway = gateway(c, vpc);
        routes(c, vpc, gateway, subnets);
        return vpc;
    }

    /** The project's VPC found by its tags, else a new one, written to the ledger once made. */
    private String vpc(AwsClients c) {
        String vpc = findOrCreate(
                () -> c.ec2.describeVpcs(r -> r.filters(ours())).vpcs().stream().map(Vpc::vpcId).sorted().findFirst(),
                () -> c.launcher.createVpc(r -> r.cidrBlock(CIDR).tagSpecifications(tags(ResourceType.VPC)))
                        .vpc().vpcId());
        if (!vpc.equals(ledger.get().networks.get(AwsLedger.place(c)))) {
            ledger.update(d -> d.networks.put(AwsLedger.place(c), vpc));
        }
        return vpc;
    }

    /**
     * What {@code find} finds, else what {@code create} makes. EC2 has no idempotency token for this creation, so
     * the create call is never retried blindly: after a failure that may have made the resource anyway (an answer
     * lost to a server error or throttling), it is looked for again before the next try.
     */
    private String findOrCreate(Supplier<Optional<String>> find, Supplier<String> create) {
        for (int attempt = 1; ; attempt++) {
            Optional<String> found = find.get();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                return create.get();
            } catch (Ec2Exception e) {
                if (attempt >= timing.attempts() || !(e.statusCode() >= 500 || e.isThrottlingException())) {
                    throw e;
                }
                AwsCalls.sleep(timing.retryBase().multipliedBy(attempt));
            }
        }
    }

    /** One subnet per zone used, each giving its instances a public address. */
    private List<Subnet> subnets(AwsClients c, String vpc) {
        List<Subnet> subnets = new ArrayList<>(c.ec2.describeSubnets(r -> r.filters(inVpc(vpc))).subnets());
        Set<String> usedBlocks = new HashSet<>();
        Set<String> zonesWithSubnet = new HashSet<>();
        subnets.forEach(s -> {
            usedBlocks.add(s.cidrBlock());
            zonesWithSubnet.add(s.availabilityZone());
        });
        for (String zone : zones(c)) {
            if (!zonesWithSubnet.contains(zone)) {
                String block = freeBlock(usedBlocks);
                usedBlocks.add(block);
                subnets.add(c.ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(block).availabilityZone(zone)
                        .tagSpecifications(tags(ResourceType.SUBNET))).subnet());
            }
        }
        for (Subnet subnet : subnets) {
            if (!Boolean.TRUE.equals(subnet.mapPublicIpOnLaunch())) {
                c.ec2.modifySubnetAttribute(r -> r.subnetId(subnet.subnetId())
                        .mapPublicIpOnLaunch(AttributeBooleanValue.builder().value(true).build()));
            }
        }
        return subnets;
    }

    /** The region's first available zones, by name, so every call picks the same ones. */
    private static List<String> zones(AwsClients c) {
        return c.ec2.describeAvailabilityZones(r -> r.filters(
                        Filter.builder().name("state").values("available").build(),
                        Filter.builder().name("zone-type").values("availability-zone").build()))
                .availabilityZones().stream().map(AvailabilityZone::zoneName).sorted().limit(MAX_ZONES).toList();
    }

    private static String freeBlock(Set<String> used) {
        for (int k = 0; k < SUBNET_BLOCKS; k++) {
            String block = "10.77." + (k * 16) + ".0/20";
            if (!used.contains(block)) {
                return block;
            }
        }
        throw new IllegalStateException("no free /20 block left in " + CIDR);
    }

    /** The gateway attached to the VPC; else one of ours left unattached, or a new one; attached. */
    private String gateway(AwsClients c, String vpc) {
        List<InternetGateway> attached = c.ec2.describeInternetGateways(r -> r.filters(
                Filter.builder().name("attachment.vpc-id").values(vpc).build())).internetGateways();
        if (!attached.isEmpty()) {
            return attached.get(0).internetGatewayId();
        }
        String gateway = findOrCreate(
                () -> c.ec2.describeInternetGateways(r -> r.filters(ours())).internetGateways().stream()
                        .filter(g -> g.attachments().isEmpty()).map(InternetGateway::internetGatewayId).sorted()
                        .findFirst(),
                () -> c.launcher.createInternetGateway(r -> r.tagSpecifications(
                        tags(ResourceType.INTERNET_GATEWAY))).internetGateway().internetGatewayId());
        c.ec2.attachInternetGateway(r -> r.internetGatewayId(gateway).vpcId(vpc));
        return gateway;
    }

    /** The project's route table: a default route through the gateway, associated with each subnet. */
    private void routes(AwsClients c, String vpc, String gateway, List<Subnet> subnets) {
        RouteTable table = c.ec2.describeRouteTables(r -> r.filters(inVpcAndOurs(vpc))).routeTables().stream()
                .min(Comparator.comparing(RouteTable::routeTableId))
                .orElseGet(() -> c.ec2.createRouteTable(r -> r.vpcId(vpc).clientToken("katapult-rtb-" + vpc)
                        .tagSpecifications(tags(ResourceType.ROUTE_TABLE))).routeTable());
        String id = table.routeTableId();
        if (table.routes().stream().noneMatch(route -> ANYWHERE.equals(route.destinationCidrBlock()))) {
            c.ec2.createRoute(r -> r.routeTableId(id).destinationCidrBlock(ANYWHERE).gatewayId(gateway));
        }
        Set<String> associated = new HashSet<>();
        table.associations().stream().map(RouteTableAssociation::subnetId).forEach(associated::add);
        for (Subnet subnet : subnets) {
            if (!associated.contains(subnet.subnetId())) {
                c.ec2.associateRouteTable(r -> r.routeTableId(id).subnetId(subnet.subnetId()));
            }
        }
    }

    private List<Filter> ours() {
        return List.of(AwsTags.projectFilter(project),
                Filter.builder().name("tag:" + AwsTags.KEY).values(name()).build());
    }

    private List<Filter> inVpcAndOurs(String vpc) {
        List<Filter> filters = new ArrayList<>(ours());
        filters.add(inVpc(vpc));
        return filters;
    }

    private static Filter inVpc(String vpc) {
        return Filter.builder().name("vpc-id").values(vpc).build();
    }

    private TagSpecification tags(ResourceType type) {
        return TagSpecification.builder().resourceType(type)
                .tags(AwsTags.tag(AwsTags.PROJECT, project), AwsTags.tag(AwsTags.KEY, name())).build();
    }
}
