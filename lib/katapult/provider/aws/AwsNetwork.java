package katapult.provider.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import katapult.config.Config;
import katapult.config.InstanceSpec;
import katapult.provider.ProviderException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * Where instances go: the entry's VPC ({@code cloud_id}), else the region's default one, else the project's own
 * network ({@link AwsProjectVpc}); its subnets in a fixed order, and one security group per project and VPC that
 * lets SSH in from each entry's {@code ssh_cidr} only.
 */
final class AwsNetwork {

    private static final String DESCRIPTION = "katapult ssh_cidr";

    private final Config config;
    private final boolean onTheMaestro;
    private final String project;
    private final AwsRegions regions;
    private final Supplier<String> publicAddress;
    private final AwsProjectVpc projectVpc;
    /** The VPC chosen, by place (and by place and cloud_id), so each is looked up, and warned about, once. */
    private final Map<String, String> chosen = new ConcurrentHashMap<>();
    /** The project's own VPC, by place, where the region has no default one. */
    private final Map<String, String> ownVpcs = new ConcurrentHashMap<>();
    private volatile Consumer<String> warnings = message -> { };
    /** The last check of each group, by place and VPC: its id and when the check began (System.nanoTime). */
    private final Map<String, CheckedGroup> checkedGroups = new ConcurrentHashMap<>();

    private record CheckedGroup(String id, long began) { }

    /**
     * @param onTheMaestro whether this runs on the project's remote maestro: the group then also lets the maestro's
     *                     own address in (it reaches the workers over SSH) and keeps the rules it finds (the
     *                     laptop's address, which reaches the maestro)
     */
    AwsNetwork(Config config, AwsRegions regions, Supplier<String> publicAddress, AwsProjectVpc projectVpc,
               boolean onTheMaestro) {
        this.onTheMaestro = onTheMaestro;
        this.config = config;
        this.project = config.project();
        this.regions = regions;
        this.publicAddress = publicAddress;
        this.projectVpc = projectVpc;
    }

    /** Where warnings go (a cloud_id naming no VPC): the session's events once it listens. */
    void warnings(Consumer<String> sink) {
        this.warnings = sink;
    }

    /**
     * The entry's VPC: {@code cloud_id} when it names one in the region; else the region's default VPC; else the
     * project's own network, made when missing. A {@code cloud_id} naming no VPC is warned about once: the
     * instances of a start, ensured in parallel, wait for the first to decide.
     */
    synchronized String vpc(AwsClients c, InstanceSpec spec) {
        String cloudId = spec.aws().cloudId();
        if (cloudId == null) {
            return regionVpc(c);
        }
        String key = AwsLedger.place(c) + "|" + cloudId;
        String known = chosen.get(key);
        if (known != null) {
            return known;
        }
        String vpc = exists(c, cloudId) ? cloudId : fallBack(c, spec, cloudId);
        chosen.put(key, vpc);
        return vpc;
    }

    /** After {@code down}: the VPCs chosen may be gone, so the next start looks again. */
    void forget() {
        chosen.clear();
        ownVpcs.clear();
        checkedGroups.clear();
    }

    private String fallBack(AwsClients c, InstanceSpec spec, String cloudId) {
        String vpc = regionVpc(c);
        boolean own = vpc.equals(ownVpcs.get(AwsLedger.place(c)));
        warnings.accept("instance '" + spec.name() + "': cloud_id '" + cloudId + "' names no VPC in " + c.region
                + ": using " + (own ? "Katapult's own VPC " : "the default VPC ") + vpc);
        return vpc;
    }

    /** Whether EC2 knows the VPC: an unknown or malformed id is an answer, not an error. */
    private static boolean exists(AwsClients c, String vpc) {
        try {
            return !c.ec2.describeVpcs(r -> r.vpcIds(vpc)).vpcs().isEmpty();
        } catch (Ec2Exception e) {
            if (Set.of("InvalidVpcID.NotFound", "InvalidVpcID.Malformed").contains(AwsCalls.code(e))) {
                return false;
            }
            throw e;
        }
    }

    /** The region's default VPC, else the project's own network (made or completed). */
    private String regionVpc(AwsClients c) {
        String place = AwsLedger.place(c);
        String cached = chosen.get(place);
        if (cached != null) {
            return cached;
        }
        List<Vpc> vpcs = c.ec2.describeVpcs(r -> r.filters(Filter.builder().name("is-default").values("true").build()))
                .vpcs();
        String vpc;
        if (vpcs.isEmpty()) {
            vpc = projectVpc.ensure(c);
            ownVpcs.put(place, vpc);
        } else {
            vpc = vpcs.get(0).vpcId();
        }
        chosen.put(place, vpc);
        return vpc;
    }

    List<Subnet> subnets(AwsClients c, String vpc) {
        List<Subnet> subnets = new ArrayList<>(c.ec2.describeSubnets(r -> r.filters(
                Filter.builder().name("vpc-id").values(vpc).build())).subnets());
        subnets.sort(Comparator.comparing(Subnet::availabilityZone).thenComparing(Subnet::subnetId));
        if (subnets.isEmpty()) {
            throw new ProviderException("VPC " + vpc + " in " + c.region + " has no subnet");
        }
        return subnets;
    }

    String groupName() {
        return "katapult-" + project;
    }

    /**
     * The project's security group in a VPC, made when missing, with SSH open to each entry's ssh_cidr only. Its
     * rules are brought in line with the config at each call (each instance a start ensures), both address families:
     * a rule left by an earlier config, or added by hand, is revoked. Calls made while another checks the group wait
     * and share the next check (it begins after they were made, so it sees all they would): the instances of one
     * start, ensured side by side, queue for a few checks, not for one each.
     */
    String securityGroup(AwsClients c, String vpc) {
        long called = System.nanoTime();
        String key = AwsLedger.place(c) + "|" + vpc;
        synchronized (this) {
            CheckedGroup last = checkedGroups.get(key);
            if (last != null && last.began() - called >= 0) {
                return last.id();
            }
            long began = System.nanoTime();
            String group = bringInLine(c, vpc);
            checkedGroups.put(key, new CheckedGroup(group, began));
            return group;
        }
    }

    private String bringInLine(AwsClients c, String vpc) {
        Set<IpPermission> wanted = wantedRules(c);
        String id;
        List<IpPermission> existing;
        List<SecurityGroup> found = c.ec2.describeSecurityGroups(r -> r.filters(
                Filter.builder().name("vpc-id").values(vpc).build(),
                Filter.builder().name("group-name").values(groupName()).build())).securityGroups();
        if (found.isEmpty()) {
            id = createSecurityGroup(c, vpc);
            existing = List.of();
        } else {
            id = found.get(0).groupId();
            existing = found.get(0).ipPermissions();
        }
        String group = id;
        List<IpPermission> stale = onTheMaestro ? List.of() : stale(existing, wanted);
        if (!stale.isEmpty()) {
            c.ec2.revokeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(stale));
        }
        List<IpPermission> missing = missing(wanted, existing);
        if (!missing.isEmpty()) {
            c.ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(missing));
        }
        return group;
    }

    /** One SSH rule per port and ssh_cidr of the region's entries. */
    private Set<IpPermission> wantedRules(AwsClients c) {
        Set<IpPermission> wanted = new LinkedHashSet<>();
        for (InstanceSpec spec : config.instances()) {
            if (c.region.equals(regions.regionOrNull(spec))) {
                int port = spec.aws().sshPort() == null ? 22 : spec.aws().sshPort();
                wanted.add(sshRule(port, sshCidr(spec)));
                if (onTheMaestro) {
                    wanted.add(sshRule(port, ownAddress(spec)));
                }
            }
        }
        return wanted;
    }

    private String createSecurityGroup(AwsClients c, String vpc) {
        return c.ec2.createSecurityGroup(r -> r.groupName(groupName()).vpcId(vpc)
                .description("Katapult project " + project + ": SSH from ssh_cidr only")
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                        .tags(AwsTags.tag(AwsTags.PROJECT, project), AwsTags.tag(AwsTags.KEY, groupName()))
                        .build())).groupId();
    }

    /** Each address range of the group, IPv4 and IPv6, that no entry asks for any more, as a rule of its own. */
    private static List<IpPermission> stale(List<IpPermission> existing, Set<IpPermission> wanted) {
        List<IpPermission> stale = new ArrayList<>();
        for (IpPermission permission : existing) {
            for (String cidr : cidrs(permission)) {
                if (!wanted.contains(sshRule(permission.fromPort() == null ? -1 : permission.fromPort(), cidr))
                        || !"tcp".equals(permission.ipProtocol())
                        || !Objects.equals(permission.fromPort(), permission.toPort())) {
                    stale.add(withOnly(permission, cidr));
                }
            }
        }
        return stale;
    }

    private static List<IpPermission> missing(Set<IpPermission> wanted, List<IpPermission> existing) {
        return wanted.stream().filter(w -> existing.stream().noneMatch(e ->
                "tcp".equals(e.ipProtocol()) && w.fromPort().equals(e.fromPort()) && w.fromPort().equals(e.toPort())
                        && cidrs(e).contains(cidrs(w).get(0))))
                .toList();
    }

    /** The address ranges of a rule, both families. */
    private static List<String> cidrs(IpPermission permission) {
        List<String> cidrs = new ArrayList<>();
        permission.ipRanges().forEach(r -> cidrs.add(r.cidrIp()));
        permission.ipv6Ranges().forEach(r -> cidrs.add(r.cidrIpv6()));
        return cidrs;
    }

    /** The rule narrowed to one of its ranges, so revoking it leaves the others alone. */
    private static IpPermission withOnly(IpPermission permission, String cidr) {
        boolean v6 = isIpv6(cidr);
        return permission.toBuilder()
                .ipRanges(v6 ? List.of() : List.of(IpRange.builder().cidrIp(cidr).build()))
                .ipv6Ranges(v6 ? List.of(Ipv6Range.builder().cidrIpv6(cidr).build()) : List.of())
                .prefixListIds(List.of()).userIdGroupPairs(List.of()).build();
    }

    /** An IPv6 block goes to Ipv6Ranges: EC2 refuses it as a CidrIp. */
    private static IpPermission sshRule(int port, String cidr) {
        IpPermission.Builder rule = IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port);
        return isIpv6(cidr)
                ? rule.ipv6Ranges(Ipv6Range.builder().cidrIpv6(cidr).description(DESCRIPTION).build()).build()
                : rule.ipRanges(IpRange.builder().cidrIp(cidr).description(DESCRIPTION).build()).build();
    }

    static boolean isIpv6(String cidr) {
        return cidr.contains(":");
    }

    /** {@code ssh_cidr}, else this machine's public address as a /32. */
    String sshCidr(InstanceSpec spec) {
        return spec.aws().sshCidr() != null ? spec.aws().sshCidr() : ownAddress(spec);
    }

    /** This machine's public address as a /32. */
    private String ownAddress(InstanceSpec spec) {
        String address;
        try {
            address = publicAddress.get();
        } catch (RuntimeException e) {
            address = null;
        }
        if (address == null || !address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new ProviderException("cannot find this machine's public address to open SSH to it: set"
                    + " `ssh_cidr` in instance '" + spec.name() + "' (e.g. ssh_cidr '203.0.113.7/32')");
        }
        return address + "/32";
    }
}
