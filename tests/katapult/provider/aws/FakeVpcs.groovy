package katapult.provider.aws

import static katapult.provider.aws.FakeEc2.Ec2Error
import static katapult.provider.aws.FakeEc2.filters
import static katapult.provider.aws.FakeEc2.list
import static katapult.provider.aws.FakeEc2.passes
import static katapult.provider.aws.FakeEc2.tagSet
import static katapult.provider.aws.FakeEc2.tagSpecs

import java.util.concurrent.ConcurrentHashMap

/**
 * The networking calls of {@link FakeEc2}: VPCs, subnets, availability zones, internet gateways and route tables,
 * with EC2's answers and refusals: an unknown VPC id is InvalidVpcID.NotFound; a VPC with subnets, an attached
 * gateway, security groups or route tables of its own, a subnet with instances, a route table with associations, a
 * gateway still attached, or a detach while instances keep public addresses are each a DependencyViolation. A new
 * VPC comes with its main route table, as in EC2. {@link #removeDefaultVpc} makes a region without a default VPC.
 */
class FakeVpcs {

    final FakeEc2 ec2
    /** The region's zones, as DescribeAvailabilityZones lists them. */
    final List<String> zones = ['us-east-1a', 'us-east-1b']
    final Map<String, Map> gateways = new ConcurrentHashMap<>()
    final Map<String, Map> routeTables = new ConcurrentHashMap<>()
    /** Called once CreateVpc made the VPC, before answering: throw to lose the answer, or kill a Katapult there. */
    Closure afterCreateVpc = { Map vpc -> }

    FakeVpcs(FakeEc2 ec2) {
        this.ec2 = ec2
    }

    /** The region has no default VPC (as accounts made before 2013-12, or after the user deleted it). */
    void removeDefaultVpc() {
        ec2.vpcs.remove('vpc-default')
        ec2.subnets.removeIf { it.vpc == 'vpc-default' }
    }

    /** What carries the project's tag among the network's parts, as [id: type] (type as DescribeTags names it). */
    Map<String, String> tagged(String project) {
        Map<String, String> found = [:]
        ec2.vpcs.values().findAll { it.tags['katapult:project'] == project }.each { found[it.id] = 'vpc' }
        ec2.subnets.findAll { it.tags?.get('katapult:project') == project }.each { found[it.id] = 'subnet' }
        gateways.values().findAll { it.tags['katapult:project'] == project }.each { found[it.id] = 'internet-gateway' }
        routeTables.values().findAll { it.tags['katapult:project'] == project }.each { found[it.id] = 'route-table' }
        found
    }

    /** Every tag of the network's parts, as DescribeTags rows. */
    List<Map> tags() {
        List<Map> all = []
        def add = { Map r, String type -> (r.tags ?: [:]).each { k, v -> all << [id: r.id, type: type, key: k, value: v] } }
        ec2.vpcs.values().each { add(it, 'vpc') }
        ec2.subnets.each { add(it, 'subnet') }
        gateways.values().each { add(it, 'internet-gateway') }
        routeTables.values().each { add(it, 'route-table') }
        all
    }

    /** Answers a networking action; null when {@code action} is none of them. */
    String call(String action, Map<String, String> p) {
        switch (action) {
            case 'DescribeVpcs': return describeVpcs(p)
            case 'CreateVpc': return createVpc(p)
            case 'DeleteVpc': return deleteVpc(p)
            case 'DescribeAvailabilityZones': return describeZones(p)
            case 'DescribeSubnets': return describeSubnets(p)
            case 'CreateSubnet': return createSubnet(p)
            case 'ModifySubnetAttribute': return modifySubnet(p)
            case 'DeleteSubnet': return deleteSubnet(p)
            case 'DescribeInternetGateways': return describeGateways(p)
            case 'CreateInternetGateway': return createGateway(p)
            case 'AttachInternetGateway': return attachGateway(p)
            case 'DetachInternetGateway': return detachGateway(p)
            case 'DeleteInternetGateway': return deleteGateway(p)
            case 'DescribeRouteTables': return describeRouteTables(p)
            case 'CreateRouteTable': return createRouteTable(p)
            case 'CreateRoute': return createRoute(p)
            case 'AssociateRouteTable': return associate(p)
            case 'DeleteRouteTable': return deleteRouteTable(p)
            default: return null
        }
    }

    // ------------------------------------------------------------------ VPCs

    private Map vpc(String id) {
        ec2.vpcs[id] ?: { throw new Ec2Error(400, 'InvalidVpcID.NotFound', "The vpc ID '${id}' does not exist") }()
    }

    private String describeVpcs(Map<String, String> p) {
        def ids = list(p, 'VpcId')
        ids.each { vpc(it) }
        def f = filters(p)
        def found = ec2.vpcs.values().findAll { (!ids || it.id in ids) && passes(f, it.tags, ['is-default': it.isDefault, 'vpc-id': it.id]) }
        ok('DescribeVpcs', '<vpcSet>' + found.collect { "<item>${vpcXml(it)}</item>" }.join('') + '</vpcSet>')
    }

    private static String vpcXml(Map v) {
        "<vpcId>${v.id}</vpcId><state>available</state><cidrBlock>${v.cidr ?: '172.31.0.0/16'}</cidrBlock><isDefault>${v.isDefault}</isDefault>${tagSet(v.tags)}"
    }

    private String createVpc(Map<String, String> p) {
        if (!(p.CidrBlock ==~ /\d+\.\d+\.\d+\.\d+\/(1[6-9]|2[0-8])/)) {
            throw new Ec2Error(400, 'InvalidVpc.Range', "The CIDR '${p.CidrBlock}' is invalid.")
        }
        String id = ec2.newId('vpc')
        def v = [id: id, isDefault: false, cidr: p.CidrBlock, tags: tagSpecs(p)['vpc'] ?: [:]]
        ec2.vpcs[id] = v
        String main = ec2.newId('rtb')
        routeTables[main] = [id: main, vpc: id, tags: [:], routes: [[cidr: p.CidrBlock, gateway: 'local']],
                             associations: [[id: ec2.newId('rtbassoc'), main: true]]]
        afterCreateVpc(v)
        ok('CreateVpc', "<vpc>${vpcXml(v)}</vpc>")
    }

    private String deleteVpc(Map<String, String> p) {
        def v = vpc(p.VpcId)
        boolean busy = ec2.subnets.any { it.vpc == v.id } || gateways.values().any { g -> g.vpc == v.id } ||
                ec2.securityGroups.values().any { it.vpc == v.id } ||
                routeTables.values().any { it.vpc == v.id && !it.associations.any { a -> a.main } } ||
                ec2.instances.values().any { it.vpcId == v.id && it.state != 'terminated' }
        if (busy) {
            throw new Ec2Error(400, 'DependencyViolation', "The vpc '${v.id}' has dependencies and cannot be deleted.")
        }
        routeTables.values().removeIf { it.vpc == v.id }
        ec2.vpcs.remove(v.id)
        ok('DeleteVpc', '<return>true</return>')
    }

    // ------------------------------------------------------------------ zones and subnets

    private String describeZones(Map<String, String> p) {
        def f = filters(p)
        def found = zones.findAll { passes(f, [:], [state: 'available', 'zone-type': 'availability-zone', 'zone-name': it]) }
        ok('DescribeAvailabilityZones', '<availabilityZoneInfo>' + found.collect { z ->
            "<item><zoneName>${z}</zoneName><zoneState>available</zoneState><regionName>us-east-1</regionName><zoneId>use1-${z[-1]}z</zoneId><zoneType>availability-zone</zoneType></item>"
        }.join('') + '</availabilityZoneInfo>')
    }

    private Map subnet(String id) {
        ec2.subnets.find { it.id == id } ?: { throw new Ec2Error(400, 'InvalidSubnetID.NotFound', "The subnet ID '${id}' does not exist") }()
    }

    private String describeSubnets(Map<String, String> p) {
        def f = filters(p)
        def found = ec2.subnets.findAll { passes(f, it.tags ?: [:], ['vpc-id': it.vpc, 'subnet-id': it.id, 'availability-zone': it.az]) }
        ok('DescribeSubnets', '<subnetSet>' + found.collect { "<item>${subnetXml(it)}</item>" }.join('') + '</subnetSet>')
    }

    private static String subnetXml(Map s) {
        "<subnetId>${s.id}</subnetId><vpcId>${s.vpc}</vpcId><availabilityZone>${s.az}</availabilityZone><cidrBlock>${s.cidr ?: '172.31.0.0/20'}</cidrBlock><state>available</state><mapPublicIpOnLaunch>${s.mapPublic != false}</mapPublicIpOnLaunch>${tagSet(s.tags ?: [:])}"
    }

    private String createSubnet(Map<String, String> p) {
        def v = vpc(p.VpcId)
        if (!(p.AvailabilityZone in zones)) {
            throw new Ec2Error(400, 'InvalidParameterValue', "Value (${p.AvailabilityZone}) for parameter availabilityZone is invalid.")
        }
        if (ec2.subnets.any { it.vpc == v.id && it.cidr == p.CidrBlock }) {
            throw new Ec2Error(400, 'InvalidSubnet.Conflict', "The CIDR '${p.CidrBlock}' conflicts with another subnet")
        }
        String prefix = v.cidr.tokenize('.')[0..1].join('.') + '.'
        if (!p.CidrBlock?.startsWith(prefix)) {
            throw new Ec2Error(400, 'InvalidSubnet.Range', "The CIDR '${p.CidrBlock}' is invalid.")
        }
        def s = [id: ec2.newId('subnet'), vpc: v.id, az: p.AvailabilityZone, cidr: p.CidrBlock, mapPublic: false,
                 tags: tagSpecs(p)['subnet'] ?: [:]]
        ec2.subnets << s
        ok('CreateSubnet', "<subnet>${subnetXml(s)}</subnet>")
    }

    private String modifySubnet(Map<String, String> p) {
        def s = subnet(p.SubnetId)
        if (p['MapPublicIpOnLaunch.Value'] != null) {
            s.mapPublic = p['MapPublicIpOnLaunch.Value'] == 'true'
        }
        ok('ModifySubnetAttribute', '<return>true</return>')
    }

    private String deleteSubnet(Map<String, String> p) {
        def s = subnet(p.SubnetId)
        if (ec2.instances.values().any { it.subnetId == s.id && it.state != 'terminated' }) {
            throw new Ec2Error(400, 'DependencyViolation', "The subnet '${s.id}' has dependencies and cannot be deleted.")
        }
        ec2.subnets.remove(s)
        routeTables.values().each { t -> t.associations.removeIf { it.subnet == s.id } }
        ok('DeleteSubnet', '<return>true</return>')
    }

    // ------------------------------------------------------------------ internet gateways

    private Map gateway(String id) {
        gateways[id] ?: { throw new Ec2Error(400, 'InvalidInternetGatewayID.NotFound', "The internetGateway ID '${id}' does not exist") }()
    }

    private String describeGateways(Map<String, String> p) {
        def f = filters(p)
        def found = gateways.values().findAll { passes(f, it.tags, ['attachment.vpc-id': it.vpc, 'internet-gateway-id': it.id]) }
        ok('DescribeInternetGateways', '<internetGatewaySet>' + found.collect { "<item>${gatewayXml(it)}</item>" }.join('') + '</internetGatewaySet>')
    }

    private static String gatewayXml(Map g) {
        "<internetGatewayId>${g.id}</internetGatewayId><ownerId>123456789012</ownerId><attachmentSet>" +
                (g.vpc ? "<item><vpcId>${g.vpc}</vpcId><state>available</state></item>" : '') + "</attachmentSet>${tagSet(g.tags)}"
    }

    private String createGateway(Map<String, String> p) {
        def g = [id: ec2.newId('igw'), vpc: null, tags: tagSpecs(p)['internet-gateway'] ?: [:]]
        gateways[g.id] = g
        ok('CreateInternetGateway', "<internetGateway>${gatewayXml(g)}</internetGateway>")
    }

    private String attachGateway(Map<String, String> p) {
        def g = gateway(p.InternetGatewayId)
        def v = vpc(p.VpcId)
        if (g.vpc != null) {
            throw new Ec2Error(400, 'Resource.AlreadyAssociated', "resource ${g.id} is already attached to network ${g.vpc}")
        }
        if (gateways.values().any { it.vpc == v.id }) {
            throw new Ec2Error(400, 'InvalidParameterValue', "Network ${v.id} already has an internet gateway attached")
        }
        g.vpc = v.id
        ok('AttachInternetGateway', '<return>true</return>')
    }

    private String detachGateway(Map<String, String> p) {
        def g = gateway(p.InternetGatewayId)
        if (g.vpc != p.VpcId) {
            throw new Ec2Error(400, 'Gateway.NotAttached', "resource ${g.id} is not attached to network ${p.VpcId}")
        }
        if (ec2.instances.values().any { it.vpcId == g.vpc && it.publicIp && it.state != 'terminated' }) {
            throw new Ec2Error(400, 'DependencyViolation', "Network ${g.vpc} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.")
        }
        g.vpc = null
        ok('DetachInternetGateway', '<return>true</return>')
    }

    private String deleteGateway(Map<String, String> p) {
        def g = gateway(p.InternetGatewayId)
        if (g.vpc != null) {
            throw new Ec2Error(400, 'DependencyViolation', "The internetGateway '${g.id}' has dependencies and cannot be deleted.")
        }
        gateways.remove(g.id)
        ok('DeleteInternetGateway', '<return>true</return>')
    }

    // ------------------------------------------------------------------ route tables

    private Map routeTable(String id) {
        routeTables[id] ?: { throw new Ec2Error(400, 'InvalidRouteTableID.NotFound', "The routeTable ID '${id}' does not exist") }()
    }

    private String describeRouteTables(Map<String, String> p) {
        def f = filters(p)
        def found = routeTables.values().findAll { passes(f, it.tags, ['vpc-id': it.vpc, 'route-table-id': it.id]) }
        ok('DescribeRouteTables', '<routeTableSet>' + found.collect { "<item>${routeTableXml(it)}</item>" }.join('') + '</routeTableSet>')
    }

    private static String routeTableXml(Map t) {
        "<routeTableId>${t.id}</routeTableId><vpcId>${t.vpc}</vpcId><ownerId>123456789012</ownerId><routeSet>" +
                t.routes.collect { "<item><destinationCidrBlock>${it.cidr}</destinationCidrBlock><gatewayId>${it.gateway}</gatewayId><state>active</state></item>" }.join('') +
                '</routeSet><associationSet>' +
                t.associations.collect { "<item><routeTableAssociationId>${it.id}</routeTableAssociationId><routeTableId>${t.id}</routeTableId>" + (it.subnet ? "<subnetId>${it.subnet}</subnetId>" : '') + "<main>${it.main == true}</main><associationState><state>associated</state></associationState></item>" }.join('') +
                "</associationSet><propagatingVgwSet/>${tagSet(t.tags)}"
    }

    private String createRouteTable(Map<String, String> p) {
        def v = vpc(p.VpcId)
        def t = [id: ec2.newId('rtb'), vpc: v.id, tags: tagSpecs(p)['route-table'] ?: [:],
                 routes: [[cidr: v.cidr, gateway: 'local']], associations: []]
        routeTables[t.id] = t
        ok('CreateRouteTable', "<routeTable>${routeTableXml(t)}</routeTable>")
    }

    private String createRoute(Map<String, String> p) {
        def t = routeTable(p.RouteTableId)
        def g = gateway(p.GatewayId)
        if (g.vpc != t.vpc) {
            throw new Ec2Error(400, 'InvalidParameterValue', "route table ${t.id} and network gateway ${g.id} belong to different networks")
        }
        if (t.routes.any { it.cidr == p.DestinationCidrBlock }) {
            throw new Ec2Error(400, 'RouteAlreadyExists', "The route identified by ${p.DestinationCidrBlock} already exists.")
        }
        t.routes << [cidr: p.DestinationCidrBlock, gateway: g.id]
        ok('CreateRoute', '<return>true</return>')
    }

    private String associate(Map<String, String> p) {
        def t = routeTable(p.RouteTableId)
        def s = subnet(p.SubnetId)
        if (s.vpc != t.vpc) {
            throw new Ec2Error(400, 'InvalidParameterValue', "Route table ${t.id} and subnet ${s.id} belong to different networks")
        }
        if (routeTables.values().any { r -> r.associations.any { it.subnet == s.id } }) {
            throw new Ec2Error(400, 'Resource.AlreadyAssociated', "the specified association for route table ${t.id} conflicts with an existing association")
        }
        String id = ec2.newId('rtbassoc')
        t.associations << [id: id, subnet: s.id, main: false]
        ok('AssociateRouteTable', "<associationId>${id}</associationId><associationState><state>associated</state></associationState>")
    }

    private String deleteRouteTable(Map<String, String> p) {
        def t = routeTable(p.RouteTableId)
        if (t.associations) {
            throw new Ec2Error(400, 'DependencyViolation', "The routeTable '${t.id}' has dependencies and cannot be deleted.")
        }
        routeTables.remove(t.id)
        ok('DeleteRouteTable', '<return>true</return>')
    }

    private static String ok(String action, String inner) {
        """<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${FakeEc2.EC2_NS}"><requestId>${UUID.randomUUID()}</requestId>${inner}</${action}Response>"""
    }
}
