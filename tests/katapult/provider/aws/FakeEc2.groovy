package katapult.provider.aws

import java.nio.charset.StandardCharsets
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import java.util.regex.Pattern

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer

/**
 * An EC2 + IAM endpoint on 127.0.0.1 (port 0) speaking the Query protocol: form POST in, XML out, error documents
 * shaped as EC2 (<Response><Errors><Error>) and IAM (<ErrorResponse>) send them. It behaves like EC2 where Katapult
 * depends on it: pending → running after a delay, stop keeps the volume, terminate deletes it, instances invisible
 * for a while after launch, ClientToken idempotency, tag filters, throttling, capacity errors, spot interruption,
 * launches with an instance profile; networking as {@link FakeVpcs} describes it, IAM as {@link FakeIam} does.
 */
class FakeEc2 implements AutoCloseable {

    static final String EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/'
    static final String IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/'
    static final Map<String, Integer> CODES = [pending: 0, running: 16, 'shutting-down': 32, terminated: 48,
                                               stopping: 64, stopped: 80]

    // ------------------------------------------------------------------ behaviour knobs
    long pendingMillis = 150
    long stoppingMillis = 100
    long shuttingDownMillis = 100
    long invisibleMillis = 0
    /** Zones where RunInstances fails with InsufficientInstanceCapacity. */
    Set<String> noCapacityIn = ConcurrentHashMap.newKeySet()
    /** action → how many of its next calls fail with RequestLimitExceeded. */
    Map<String, Integer> throttled = new ConcurrentHashMap<>()
    /** RunInstances calls that make the instance but lose the answer (as if Katapult died meanwhile). */
    int loseRunInstancesAnswers = 0
    /** Called with the instance made by each RunInstances that makes one, before answering. */
    Closure onLaunch = { FakeInstance i -> }
    /** Told (instance id, new state) when an instance reaches stopped or terminated. */
    Closure onState = { String id, String state -> }
    /** Console output of new instances; null: none yet (cloud-init not there). */
    String consoleFingerprints = null

    // ------------------------------------------------------------------ the world
    final List<String> calls = new CopyOnWriteArrayList<>()
    /** 'Action region' of each call, the region read from the request's signature scope. */
    final List<String> signedCalls = new CopyOnWriteArrayList<>()
    final Map<String, FakeInstance> instances = new ConcurrentHashMap<>()
    final Map<String, Map> securityGroups = new ConcurrentHashMap<>()
    final Map<String, Map> keyPairs = new ConcurrentHashMap<>()
    final Map<String, Map> volumes = new ConcurrentHashMap<>()
    final Map<String, Map> vpcs = new ConcurrentHashMap<>()
    final List<Map> subnets = new CopyOnWriteArrayList<>()
    final List<Map> images = new CopyOnWriteArrayList<>()
    final Map<String, Map> types = [:]
    final Map<String, Double> spotPrices = new ConcurrentHashMap<>()
    /** The Price List API's GetProducts, served on the same port. */
    final FakePriceList priceList = new FakePriceList()
    /** The Service Quotas API's GetServiceQuota, served on the same port. */
    final FakeServiceQuotas quotas = new FakeServiceQuotas()
    /** Roles, instance profiles and their policies ({@link FakeIam}). */
    final FakeIam iam = new FakeIam()
    /** VPCs, subnets, zones, internet gateways and route tables (on {@link #vpcs} and {@link #subnets}). */
    final FakeVpcs network = new FakeVpcs(this)
    private final AtomicInteger ids = new AtomicInteger(0x1000)
    private final AtomicInteger addresses = new AtomicInteger(10)
    private final AtomicLong skipped = new AtomicLong()
    private final HttpServer server

    static class FakeInstance {
        String id, type, imageId, subnetId, az, vpcId, keyName, clientToken, userData, shutdownBehavior
        /** The instance profile it was launched with (IamInstanceProfile.Name or .Arn), as [name:, path:]. */
        Map iamProfile
        String state = 'pending', publicIp, privateIp, volumeId, rootDevice = '/dev/sda1'
        String stateReasonCode, stateReasonMessage
        List<String> groups = []
        Map<String, String> tags = [:]
        Integer coreCount, threadsPerCore
        boolean spot
        String maxPrice
        Integer diskSize
        String diskType
        long launchedAt, visibleAt, changeAt
        String console
    }

    FakeEc2() {
        vpcs['vpc-default'] = [id: 'vpc-default', isDefault: true, tags: [:]]
        subnets << [id: 'subnet-a', vpc: 'vpc-default', az: 'us-east-1a'] << [id: 'subnet-b', vpc: 'vpc-default', az: 'us-east-1b']
        images << [id: 'ami-jammy', name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240601', owner: '099720109477', created: '2024-06-01T00:00:00.000Z', arch: 'x86_64']
        images << [id: 'ami-noble', name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250101', owner: '099720109477', created: '2025-01-01T00:00:00.000Z', arch: 'x86_64']
        images << [id: 'ami-oracular', name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-oracular-24.10-amd64-server-20250301', owner: '099720109477', created: '2025-03-01T00:00:00.000Z', arch: 'x86_64']
        images << [id: 'ami-noble-arm', name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250101', owner: '099720109477', created: '2025-01-02T00:00:00.000Z', arch: 'arm64']
        images << [id: 'ami-custom', name: 'my-image', owner: '123456789012', created: '2025-02-01T00:00:00.000Z', arch: 'x86_64', root: '/dev/xvda']
        types['t3.micro'] = [vcpus: 2, cores: 1, threads: 2, valid: [1], arch: 'x86_64']
        types['t3.small'] = [vcpus: 2, cores: 1, threads: 2, valid: [1], arch: 'x86_64']
        types['t3.large'] = [vcpus: 2, cores: 1, threads: 2, valid: [1], arch: 'x86_64']
        types['t2.micro'] = [vcpus: 1, cores: 1, threads: 1, valid: [1], arch: 'x86_64']
        types['c5.4xlarge'] = [vcpus: 16, cores: 8, threads: 2, valid: [2, 4, 6, 8], arch: 'x86_64']
        types['m7g.large'] = [vcpus: 2, cores: 2, threads: 1, valid: [1, 2], arch: 'arm64']
        types['g4dn.xlarge'] = [vcpus: 4, cores: 2, threads: 2, valid: [1, 2], arch: 'x86_64', gpu: [name: 'T4', maker: 'NVIDIA', count: 1]]
        spotPrices['t3.micro'] = 0.0031d
        spotPrices['t3.large'] = 0.0251d
        spotPrices['t2.micro'] = 0.0035d
        spotPrices['c5.4xlarge'] = 0.2950d
        spotPrices['g4dn.xlarge'] = 0.1578d
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName('127.0.0.1'), 0), 0)
        server.createContext('/') { HttpExchange ex -> handle(ex) }
        server.executor = Executors.newCachedThreadPool()
        server.start()
    }

    Map<String, Map> getRoles() { iam.roles }

    Map<String, Map> getInstanceProfiles() { iam.instanceProfiles }

    String getEndpoint() {
        "http://127.0.0.1:${server.address.port}"
    }

    @Override
    void close() {
        server.stop(0)
        (server.executor as ExecutorService).shutdownNow()
    }

    int count(String action) {
        calls.count { it == action }
    }

    List<FakeInstance> live() {
        synchronized (this) {
            tick()
            instances.values().findAll { !(it.state in ['terminated', 'shutting-down']) }.sort { it.id }
        }
    }

    // ------------------------------------------------------------------ faults from the outside

    synchronized void interruptSpot(String id) {
        def i = instances[id]
        i.state = 'shutting-down'; i.changeAt = now() + shuttingDownMillis
        i.stateReasonCode = 'Server.SpotInstanceTermination'
        i.stateReasonMessage = 'Server.SpotInstanceTermination: Spot instance termination'
    }

    synchronized void stopFromOutside(String id) {
        def i = instances[id]
        i.state = 'stopping'; i.changeAt = now() + stoppingMillis
    }

    synchronized void terminateFromOutside(String id) {
        def i = instances[id]
        i.state = 'shutting-down'; i.changeAt = now() + shuttingDownMillis
        i.stateReasonCode = 'Client.UserInitiatedShutdown'
        i.stateReasonMessage = 'Client.UserInitiatedShutdown: User initiated shutdown'
    }

    /**
     * The instance shut itself down (its agent's shutdown command ran): it stops, or terminates, as its
     * InstanceInitiatedShutdownBehavior says (EC2's default: stop).
     */
    synchronized void shutdownFromInstance(String id) {
        def i = instances[id]
        if (i.state != 'running') {
            return
        }
        if (i.shutdownBehavior == 'terminate') {
            i.state = 'shutting-down'; i.changeAt = now() + shuttingDownMillis
            i.stateReasonCode = 'Client.InstanceInitiatedShutdown'
            i.stateReasonMessage = 'Client.InstanceInitiatedShutdown: Instance initiated shutdown'
        } else {
            i.state = 'stopping'; i.changeAt = now() + stoppingMillis
        }
    }

    /** Everything still carrying the tag katapult:project = project (terminated instances aside), IAM included. */
    synchronized List<String> tagged(String project) {
        tick()
        def hit = { Map tags -> tags['katapult:project'] == project }
        def found = []
        instances.values().findAll { !(it.state in ['terminated']) && hit(it.tags) }.each { found << it.id }
        [securityGroups, keyPairs, volumes].each { m -> m.values().findAll { hit(it.tags) }.each { found << it.id } }
        iam.roles.values().findAll { hit(it.tags ?: [:]) }.each { found << 'role ' + it.name }
        iam.instanceProfiles.values().findAll { hit(it.tags ?: [:]) }.each { found << 'instance profile ' + it.name }
        found + network.tagged(project).keySet()
    }

    // ------------------------------------------------------------------ protocol

    /**
     * The fake's clock: the wall clock (Katapult polls it in real time) plus what {@link #advance} skipped, so a
     * spec moves an instance through a timed state at once instead of sleeping through it.
     */
    private long now() { System.currentTimeMillis() + skipped.get() }

    /** Moves the fake's clock {@code millis} ahead: timed states (pending, stopping, shutting-down) end sooner. */
    void advance(long millis) {
        skipped.addAndGet(millis)
    }

    private void handle(HttpExchange ex) {
        String body = new String(ex.requestBody.readAllBytes(), StandardCharsets.UTF_8)
        if (priceList.serves(ex)) {
            priceList.handle(ex, body)
            return
        }
        if (quotas.serves(ex)) {
            quotas.handle(ex, body)
            return
        }
        Map<String, String> p = [:]
        body.split('&').findAll { it }.each {
            int eq = it.indexOf('=')
            String k = URLDecoder.decode(eq < 0 ? it : it.substring(0, eq), 'UTF-8')
            String v = eq < 0 ? '' : URLDecoder.decode(it.substring(eq + 1), 'UTF-8')
            p[k] = v
        }
        String action = p.Action
        boolean iamCall = p.Version == '2010-05-08'
        calls << action
        def scope = ex.requestHeaders.getFirst('Authorization') =~ /Credential=[^\/]+\/\d+\/([^\/]+)\//
        signedCalls << action + ' ' + (scope.find() ? scope.group(1) : '?')
        int status = 200
        String xml
        try {
            Integer left = throttled[action]
            if (left) {
                throttled[action] = left - 1
                throw new Ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.')
            }
            synchronized (this) {
                tick()
                xml = iamCall ? iam.call(action, p) : ec2Call(action, p)
            }
        } catch (Ec2Error e) {
            status = e.status
            xml = iamCall ? """<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${esc(e.message)}</Message></Error><RequestId>${UUID.randomUUID()}</RequestId></ErrorResponse>"""
                    : """<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${e.code}</Code><Message>${esc(e.message)}</Message></Error></Errors><RequestID>${UUID.randomUUID()}</RequestID></Response>"""
        } catch (Throwable t) {
            status = 500
            xml = """<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InternalError</Code><Message>${esc(t.toString())}</Message></Error></Errors><RequestID>x</RequestID></Response>"""
            t.printStackTrace()
        }
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8)
        ex.responseHeaders.add('Content-Type', 'text/xml;charset=UTF-8')
        ex.sendResponseHeaders(status, bytes.length)
        ex.responseBody.withCloseable { it.write(bytes) }
    }

    static class Ec2Error extends RuntimeException {
        int status; String code
        Ec2Error(int status, String code, String message) { super(message); this.status = status; this.code = code }
    }

    static String esc(Object s) {
        s == null ? '' : s.toString().replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    }

    private static String ok(String action, String inner) {
        """<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}"><requestId>${UUID.randomUUID()}</requestId>${inner}</${action}Response>"""
    }

    /** Values of Prefix.1, Prefix.2, ... */
    static List<String> list(Map<String, String> p, String prefix) {
        p.findAll { k, v -> k ==~ /${Pattern.quote(prefix)}\.\d+/ }
                .sort { it.key.substring(prefix.length() + 1) as int }.collect { it.value }
    }

    /** Filter.N.Name / Filter.N.Value.M */
    static Map<String, List<String>> filters(Map<String, String> p) {
        Map<String, List<String>> f = [:]
        p.keySet().findAll { it ==~ /Filter\.\d+\.Name/ }.each { k ->
            String n = k.split('\\.')[1]
            f[p[k]] = list(p, "Filter.${n}.Value")
        }
        f
    }

    static boolean glob(String pattern, String value) {
        value != null && value ==~ pattern.split('\\*', -1).collect { Pattern.quote(it) }.join('.*')
    }

    /** Does a resource pass the filters (tag:K, tag-key and the named attributes)? */
    static boolean passes(Map<String, List<String>> f, Map<String, String> tags, Map<String, Object> attributes) {
        f.every { name, values ->
            if (name.startsWith('tag:')) {
                return values.any { glob(it, tags[name.substring(4)]) }
            }
            if (name == 'tag-key') {
                return values.any { tags.containsKey(it) }
            }
            if (!attributes.containsKey(name)) {
                throw new Ec2Error(400, 'InvalidParameterValue', "The filter '${name}' is invalid")
            }
            def actual = attributes[name]
            values.any { glob(it, actual?.toString()) }
        }
    }

    static Map<String, Map<String, String>> tagSpecs(Map<String, String> p) {
        Map<String, Map<String, String>> byType = [:]
        p.keySet().findAll { it ==~ /TagSpecification\.\d+\.ResourceType/ }.each { k ->
            String n = k.split('\\.')[1]
            Map<String, String> tags = [:]
            p.keySet().findAll { it ==~ /TagSpecification\.${n}\.Tag\.\d+\.Key/ }.each { tk ->
                tags[p[tk]] = p[tk.replace('.Key', '.Value')] ?: ''
            }
            byType[p[k]] = tags
        }
        byType
    }

    static String tagSet(Map<String, String> tags) {
        '<tagSet>' + tags.collect { k, v -> "<item><key>${esc(k)}</key><value>${esc(v)}</value></item>" }.join('') + '</tagSet>'
    }

    String newId(String prefix) {
        prefix + '-' + Integer.toHexString(ids.incrementAndGet()).padLeft(17, '0')
    }

    /** Moves instances through their timed states. */
    void tick() {
        long t = now()
        instances.values().each { i ->
            if (t < i.changeAt) {
                return
            }
            switch (i.state) {
                case 'pending': i.state = 'running'; if (i.publicIp == null) { i.publicIp = '127.0.0.' + addresses.getAndIncrement() }; onState(i.id, 'running'); break
                case 'stopping': i.state = 'stopped'; onState(i.id, 'stopped'); break
                case 'shutting-down':
                    i.state = 'terminated'; i.publicIp = null
                    volumes.remove(i.volumeId)
                    onState(i.id, 'terminated')
                    break
            }
        }
    }

    private FakeInstance instance(String id, boolean visibleOnly = true) {
        FakeInstance i = instances[id]
        if (i == null || (visibleOnly && now() < i.visibleAt)) {
            throw new Ec2Error(400, 'InvalidInstanceID.NotFound', "The instance ID '${id}' does not exist")
        }
        i
    }

    // ------------------------------------------------------------------ EC2

    private String ec2Call(String action, Map<String, String> p) {
        switch (action) {
            case 'DescribeInstanceTypes':
                def names = list(p, 'InstanceType')
                names.each { if (!types[it]) throw new Ec2Error(400, 'InvalidInstanceType', "The following supplied instance types do not exist: [${it}]") }
                return ok(action, '<instanceTypeSet>' + names.collect { n ->
                    def t = types[n]
                    "<item><instanceType>${n}</instanceType><vCpuInfo><defaultVCpus>${t.vcpus}</defaultVCpus><defaultCores>${t.cores}</defaultCores><defaultThreadsPerCore>${t.threads}</defaultThreadsPerCore><validCores>${t.valid.collect { "<item>${it}</item>" }.join('')}</validCores></vCpuInfo><processorInfo><supportedArchitectures><item>${t.arch}</item></supportedArchitectures></processorInfo>${t.gpu ? "<gpuInfo><gpus><item><name>${t.gpu.name}</name><manufacturer>${t.gpu.maker}</manufacturer><count>${t.gpu.count}</count></item></gpus></gpuInfo>" : ''}</item>"
                }.join('') + '</instanceTypeSet>')
            case 'DescribeImages':
                def wanted = list(p, 'ImageId')
                def owners = list(p, 'Owner')
                def f = filters(p)
                wanted.each { w -> if (!images.any { it.id == w }) throw new Ec2Error(400, 'InvalidAMIID.NotFound', "The image id '[${w}]' does not exist") }
                def found = images.findAll { (!wanted || it.id in wanted) && (!owners || it.owner in owners) &&
                        passes(f, [:], [name: it.name, state: 'available', architecture: it.arch, 'image-id': it.id]) }
                return ok(action, '<imagesSet>' + found.collect { i ->
                    "<item><imageId>${i.id}</imageId><imageState>available</imageState><imageOwnerId>${i.owner}</imageOwnerId><creationDate>${i.created}</creationDate><architecture>${i.arch}</architecture><name>${esc(i.name)}</name><rootDeviceType>ebs</rootDeviceType><rootDeviceName>${i.root ?: '/dev/sda1'}</rootDeviceName></item>"
                }.join('') + '</imagesSet>')
            case 'DescribeSecurityGroups':
                def f = filters(p)
                def ids = list(p, 'GroupId')
                def found = securityGroups.values().findAll { (!ids || it.id in ids) && passes(f, it.tags, ['vpc-id': it.vpc, 'group-name': it.name, 'group-id': it.id]) }
                return ok(action, '<securityGroupInfo>' + found.collect { g -> securityGroupXml(g) }.join('') + '</securityGroupInfo>')
            case 'CreateSecurityGroup':
                if (securityGroups.values().any { it.name == p.GroupName && it.vpc == p.VpcId }) {
                    throw new Ec2Error(400, 'InvalidGroup.Duplicate', "The security group '${p.GroupName}' already exists for VPC '${p.VpcId}'")
                }
                String id = newId('sg')
                securityGroups[id] = [id: id, name: p.GroupName, vpc: p.VpcId, description: p.GroupDescription,
                                      tags: tagSpecs(p)['security-group'] ?: [:], ingress: new CopyOnWriteArrayList<Map>()]
                return ok(action, "<return>true</return><groupId>${id}</groupId>")
            case 'AuthorizeSecurityGroupIngress':
            case 'RevokeSecurityGroupIngress':
                def g = securityGroups[p.GroupId]
                if (g == null) throw new Ec2Error(400, 'InvalidGroup.NotFound', "The security group '${p.GroupId}' does not exist")
                permissions(p).each { rule ->
                    boolean has = g.ingress.any { it == rule }
                    if (action.startsWith('Authorize')) {
                        if (has) throw new Ec2Error(400, 'InvalidPermission.Duplicate', 'the specified rule already exists')
                        g.ingress << rule
                    } else {
                        g.ingress.remove(rule)
                    }
                }
                return ok(action, '<return>true</return>')
            case 'DeleteSecurityGroup':
                def g = securityGroups[p.GroupId]
                if (g == null) throw new Ec2Error(400, 'InvalidGroup.NotFound', "The security group '${p.GroupId}' does not exist")
                if (instances.values().any { it.state != 'terminated' && g.id in it.groups }) {
                    throw new Ec2Error(400, 'DependencyViolation', "resource ${g.id} has a dependent object")
                }
                securityGroups.remove(g.id)
                return ok(action, '<return>true</return>')
            case 'DescribeKeyPairs':
                def f = filters(p)
                def names = list(p, 'KeyName')
                def found = keyPairs.values().findAll { (!names || it.name in names) && passes(f, it.tags, ['key-name': it.name]) }
                return ok(action, '<keySet>' + found.collect { k -> "<item><keyPairId>${k.id}</keyPairId><keyName>${esc(k.name)}</keyName><keyFingerprint>${k.fingerprint}</keyFingerprint><keyType>rsa</keyType>${tagSet(k.tags)}</item>" }.join('') + '</keySet>')
            case 'ImportKeyPair':
                if (keyPairs.values().any { it.name == p.KeyName }) {
                    throw new Ec2Error(400, 'InvalidKeyPair.Duplicate', "The keypair already exists")
                }
                String material = new String(Base64.decoder.decode(p.PublicKeyMaterial), StandardCharsets.US_ASCII)
                if (!material.startsWith('ssh-rsa ') && !material.startsWith('ssh-ed25519 ')) {
                    throw new Ec2Error(400, 'InvalidKey.Format', 'Key is not in valid OpenSSH public key format')
                }
                String id = newId('key')
                keyPairs[id] = [id: id, name: p.KeyName, material: material, fingerprint: 'aa:bb', tags: tagSpecs(p)['key-pair'] ?: [:]]
                return ok(action, "<keyFingerprint>aa:bb</keyFingerprint><keyName>${esc(p.KeyName)}</keyName><keyPairId>${id}</keyPairId>")
            case 'DeleteKeyPair':
                keyPairs.values().removeIf { it.name == p.KeyName || it.id == p.KeyPairId }
                return ok(action, '<return>true</return>')
            case 'RunInstances':
                return runInstances(p)
            case 'DescribeInstances':
                def wanted = list(p, 'InstanceId')
                def f = filters(p)
                def found = wanted ? wanted.collect { instance(it) } : instances.values().findAll { now() >= it.visibleAt }
                found = found.findAll { i -> passes(f, i.tags, ['instance-id': i.id, 'instance-state-name': i.state]) }.sort { it.id }
                return ok(action, '<reservationSet>' + found.collect { i ->
                    "<item><reservationId>r-${i.id.substring(2)}</reservationId><ownerId>123456789012</ownerId><instancesSet>${instanceXml(i)}</instancesSet></item>"
                }.join('') + '</reservationSet>')
            case 'StartInstances':
            case 'StopInstances':
            case 'TerminateInstances':
                def changes = list(p, 'InstanceId').collect { id ->
                    def i = instance(id)
                    String before = i.state
                    if (action == 'StartInstances') {
                        if (i.state == 'stopped') { i.state = 'pending'; i.changeAt = now() + pendingMillis }
                        else if (i.state != 'running' && i.state != 'pending') throw new Ec2Error(400, 'IncorrectInstanceState', "The instance '${id}' is not in a state from which it can be started.")
                    } else if (action == 'StopInstances') {
                        if (i.spot) throw new Ec2Error(400, 'UnsupportedOperation', "The instance '${id}' is a spot instance and cannot be stopped.")
                        if (i.state in ['running', 'pending']) { i.state = 'stopping'; i.changeAt = now() + stoppingMillis }
                    } else if (!(i.state in ['terminated', 'shutting-down'])) {
                        i.state = 'shutting-down'; i.changeAt = now() + shuttingDownMillis
                        i.stateReasonCode = 'Client.UserInitiatedShutdown'
                        i.stateReasonMessage = 'Client.UserInitiatedShutdown: User initiated shutdown'
                    }
                    "<item><instanceId>${id}</instanceId><currentState><code>${CODES[i.state]}</code><name>${i.state}</name></currentState><previousState><code>${CODES[before]}</code><name>${before}</name></previousState></item>"
                }
                return ok(action, '<instancesSet>' + changes.join('') + '</instancesSet>')
            case 'GetConsoleOutput':
                def i = instance(p.InstanceId)
                return ok(action, "<instanceId>${i.id}</instanceId><timestamp>${Instant.now()}</timestamp>" + (i.console == null ? '' : "<output>${Base64.encoder.encodeToString(i.console.getBytes(StandardCharsets.UTF_8))}</output>"))
            case 'DescribeVolumes':
                def f = filters(p)
                def found = volumes.values().findAll { passes(f, it.tags, ['volume-id': it.id, status: it.status()]) }
                return ok(action, '<volumeSet>' + found.collect { v -> "<item><volumeId>${v.id}</volumeId><size>${v.size}</size><availabilityZone>${v.az}</availabilityZone><status>${v.status()}</status><volumeType>${v.type}</volumeType>${tagSet(v.tags)}</item>" }.join('') + '</volumeSet>')
            case 'DeleteVolume':
                def v = volumes[p.VolumeId]
                if (v == null) throw new Ec2Error(400, 'InvalidVolume.NotFound', "The volume '${p.VolumeId}' does not exist.")
                if (v.status() == 'in-use') throw new Ec2Error(400, 'VolumeInUse', "Volume ${v.id} is currently attached")
                volumes.remove(v.id)
                return ok(action, '<return>true</return>')
            case 'DescribeTags':
                def f = filters(p)
                List<Map> all = []
                instances.values().each { i -> i.tags.each { k, v -> all << [id: i.id, type: 'instance', key: k, value: v] } }
                securityGroups.values().each { g -> g.tags.each { k, v -> all << [id: g.id, type: 'security-group', key: k, value: v] } }
                keyPairs.values().each { g -> g.tags.each { k, v -> all << [id: g.id, type: 'key-pair', key: k, value: v] } }
                volumes.values().each { g -> g.tags.each { k, v -> all << [id: g.id, type: 'volume', key: k, value: v] } }
                all.addAll(network.tags())
                def found = all.findAll { t -> passes(f, [:], [key: t.key, value: t.value, 'resource-type': t.type, 'resource-id': t.id]) }
                return ok(action, '<tagSet>' + found.collect { t -> "<item><resourceId>${t.id}</resourceId><resourceType>${t.type}</resourceType><key>${esc(t.key)}</key><value>${esc(t.value)}</value></item>" }.join('') + '</tagSet>')
            case 'CreateTags':
                def tags = [:]
                p.keySet().findAll { it ==~ /Tag\.\d+\.Key/ }.each { tags[p[it]] = p[it.replace('.Key', '.Value')] ?: '' }
                list(p, 'ResourceId').each { id -> (instances[id]?.tags ?: securityGroups[id]?.tags ?: volumes[id]?.tags)?.putAll(tags) }
                return ok(action, '<return>true</return>')
            case 'DescribeSpotPriceHistory':
                def found = list(p, 'InstanceType').findAll { spotPrices[it] != null }
                return ok(action, '<spotPriceHistorySet>' + found.collectMany { t -> network.zones.withIndex().collect { az, n ->
                    "<item><instanceType>${t}</instanceType><productDescription>Linux/UNIX</productDescription><spotPrice>${String.format(Locale.ROOT, '%.6f', spotPrices[t] + n * 0.001)}</spotPrice><timestamp>${Instant.now()}</timestamp><availabilityZone>${az}</availabilityZone></item>"
                } }.join('') + '</spotPriceHistorySet>')
            default:
                String answer = network.call(action, p)
                if (answer == null) {
                    throw new Ec2Error(400, 'InvalidAction', "The action ${action} is not valid for this web service.")
                }
                return answer
        }
    }

    static List<Map> permissions(Map<String, String> p) {
        def rules = []
        p.keySet().findAll { it ==~ /IpPermissions\.\d+\.IpProtocol/ }.each { k ->
            String n = k.split('\\.')[1]
            def rule = { String cidr -> [protocol: p[k], from: p["IpPermissions.${n}.FromPort"] as Integer, to: p["IpPermissions.${n}.ToPort"] as Integer, cidr: cidr] }
            p.keySet().findAll { it ==~ /IpPermissions\.${n}\.IpRanges\.\d+\.CidrIp/ }.each { ck ->
                if (p[ck].contains(':')) {
                    throw new Ec2Error(400, 'InvalidParameterValue', "CIDR block ${p[ck]} is malformed")
                }
                rules << rule(p[ck])
            }
            // EC2's Query spelling of Ipv6Ranges
            p.keySet().findAll { it ==~ /IpPermissions\.${n}\.Ipv6Ranges\.\d+\.CidrIpv6/ }.each { ck ->
                if (!p[ck].contains(':')) {
                    throw new Ec2Error(400, 'InvalidParameterValue', "CIDR block ${p[ck]} is malformed")
                }
                rules << rule(p[ck])
            }
        }
        rules
    }

    static String securityGroupXml(Map g) {
        "<item><ownerId>123456789012</ownerId><groupId>${g.id}</groupId><groupName>${esc(g.name)}</groupName><groupDescription>${esc(g.description)}</groupDescription><vpcId>${g.vpc}</vpcId><ipPermissions>" +
                g.ingress.collect { r -> "<item><ipProtocol>${r.protocol}</ipProtocol><fromPort>${r.from}</fromPort><toPort>${r.to}</toPort><groups/>" + (r.cidr.contains(':') ? "<ipRanges/><ipv6Ranges><item><cidrIpv6>${r.cidr}</cidrIpv6></item></ipv6Ranges>" : "<ipRanges><item><cidrIp>${r.cidr}</cidrIp></item></ipRanges><ipv6Ranges/>") + "<prefixListIds/></item>" }.join('') +
                "</ipPermissions><ipPermissionsEgress/>${tagSet(g.tags)}</item>"
    }

    private String runInstances(Map<String, String> p) {
        String token = p.ClientToken
        FakeInstance existing = token ? instances.values().find { it.clientToken == token } : null
        if (existing == null) {
            String subnetId = p['NetworkInterface.1.SubnetId'] ?: p.SubnetId
            def subnet = subnets.find { it.id == subnetId } ?: subnets[0]
            if (!types[p.InstanceType]) throw new Ec2Error(400, 'InvalidParameterValue', "Invalid value '${p.InstanceType}' for InstanceType.")
            if (!images.any { it.id == p.ImageId }) throw new Ec2Error(400, 'InvalidAMIID.NotFound', "The image id '[${p.ImageId}]' does not exist")
            if (!keyPairs.values().any { it.name == p.KeyName }) throw new Ec2Error(400, 'InvalidKeyPair.NotFound', "The key pair '${p.KeyName}' does not exist")
            String maxPrice = p['InstanceMarketOptions.SpotOptions.MaxPrice']
            if (maxPrice && spotPrices[p.InstanceType] && (maxPrice as double) < spotPrices[p.InstanceType]) {
                throw new Ec2Error(400, 'SpotMaxPriceTooLow', "Your Spot request price of ${maxPrice} is lower than the minimum required Spot request fulfillment price of ${spotPrices[p.InstanceType]}.")
            }
            if (subnet.az in noCapacityIn) {
                throw new Ec2Error(500, 'InsufficientInstanceCapacity', "We currently do not have sufficient ${p.InstanceType} capacity in the Availability Zone you requested (${subnet.az}).")
            }
            Map profile = launchProfile(p)
            def tags = tagSpecs(p)
            def image = images.find { it.id == p.ImageId }
            def i = new FakeInstance(id: newId('i'), type: p.InstanceType, imageId: p.ImageId, subnetId: subnet.id, az: subnet.az,
                    vpcId: subnet.vpc, keyName: p.KeyName, clientToken: token, userData: p.UserData,
                    shutdownBehavior: p.InstanceInitiatedShutdownBehavior, rootDevice: image.root ?: '/dev/sda1',
                    groups: list(p, 'NetworkInterface.1.SecurityGroupId') + list(p, 'SecurityGroupId'),
                    tags: tags['instance'] ?: [:], spot: p['InstanceMarketOptions.MarketType'] == 'spot',
                    maxPrice: p['InstanceMarketOptions.SpotOptions.MaxPrice'],
                    coreCount: p['CpuOptions.CoreCount'] as Integer, threadsPerCore: p['CpuOptions.ThreadsPerCore'] as Integer,
                    diskSize: p['BlockDeviceMapping.1.Ebs.VolumeSize'] as Integer, diskType: p['BlockDeviceMapping.1.Ebs.VolumeType'],
                    privateIp: '172.31.0.' + (ids.get() % 250), console: consoleFingerprints, iamProfile: profile)
            if (p['BlockDeviceMapping.1.DeviceName'] && p['BlockDeviceMapping.1.DeviceName'] != i.rootDevice) {
                throw new Ec2Error(400, 'InvalidBlockDeviceMapping', "device name ${p['BlockDeviceMapping.1.DeviceName']} is not the root device ${i.rootDevice}")
            }
            i.launchedAt = now(); i.visibleAt = now() + invisibleMillis; i.changeAt = now() + pendingMillis
            i.volumeId = newId('vol')
            def owner = i
            volumes[i.volumeId] = [id: i.volumeId, size: i.diskSize ?: 8, type: i.diskType ?: 'gp2', az: i.az,
                                   tags: tags['volume'] ?: [:], status: { -> owner.state == 'terminated' ? 'available' : 'in-use' }]
            instances[i.id] = i
            existing = i
            onLaunch(i)
            if (loseRunInstancesAnswers > 0) {
                loseRunInstancesAnswers--
                throw new Ec2Error(500, 'InternalError', 'An internal error has occurred')
            }
        }
        ok('RunInstances', "<reservationId>r-${existing.id.substring(2)}</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>${instanceXml(existing)}</instancesSet>")
    }

    /** The instance profile a launch names, by name or ARN; null when it names none. */
    private Map launchProfile(Map<String, String> p) {
        String name = p['IamInstanceProfile.Name'] ?: p['IamInstanceProfile.Arn']?.tokenize('/')?.last()
        name == null ? null : iam.profileForLaunch(name, now()).subMap(['name', 'path'])
    }

    static String instanceXml(FakeInstance i) {
        "<item><instanceId>${i.id}</instanceId><imageId>${i.imageId}</imageId><instanceState><code>${CODES[i.state]}</code><name>${i.state}</name></instanceState>" +
                "<privateIpAddress>${i.privateIp}</privateIpAddress>" + (i.publicIp ? "<ipAddress>${i.publicIp}</ipAddress>" : '') +
                "<keyName>${esc(i.keyName)}</keyName><instanceType>${i.type}</instanceType><launchTime>${Instant.ofEpochMilli(i.launchedAt)}</launchTime>" +
                "<placement><availabilityZone>${i.az}</availabilityZone></placement><subnetId>${i.subnetId}</subnetId><vpcId>${i.vpcId}</vpcId>" +
                "<groupSet>${i.groups.collect { "<item><groupId>${it}</groupId></item>" }.join('')}</groupSet>" +
                (i.stateReasonCode ? "<stateReason><code>${i.stateReasonCode}</code><message>${esc(i.stateReasonMessage)}</message></stateReason>" : '') +
                (i.spot ? '<instanceLifecycle>spot</instanceLifecycle>' : '') +
                (i.iamProfile ? "<iamInstanceProfile><arn>${FakeIam.profileArn(i.iamProfile)}</arn><id>AIPA${i.iamProfile.name.hashCode().abs()}</id></iamInstanceProfile>" : '') +
                "<rootDeviceName>${i.rootDevice}</rootDeviceName><rootDeviceType>ebs</rootDeviceType>" +
                (i.state == 'terminated' ? '<blockDeviceMapping/>' : "<blockDeviceMapping><item><deviceName>${i.rootDevice}</deviceName><ebs><volumeId>${i.volumeId}</volumeId><status>attached</status><deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping>") +
                (i.coreCount ? "<cpuOptions><coreCount>${i.coreCount}</coreCount><threadsPerCore>${i.threadsPerCore}</threadsPerCore></cpuOptions>" : '') +
                "<clientToken>${esc(i.clientToken)}</clientToken>${tagSet(i.tags)}</item>"
    }
}
