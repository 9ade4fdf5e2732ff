package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

import katapult.config.Config
import katapult.plan.InstanceExpander
import katapult.plan.InstancePlan
import katapult.provider.InstanceStatus
import katapult.provider.local.LocalProvider
import katapult.state.InstanceRecord
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

@Timeout(60)
@Tag('e2e')
class AwsProviderSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path dir

    /** Shared: generating the project's RSA key once is enough. */
    @Shared
    @TempDir
    Path home

    AwsProvider provider
    List<String> progress = []

    def setup() {
        System.setProperty('katapult.home', home.toString())
    }

    def cleanup() {
        provider?.close()
        System.clearProperty('katapult.home')
    }

    AwsProvider make(String instance, String project = 'proj') {
        Config config = AwsTestSupport.config(dir.resolve('cfg'), fake, instance, project)
        provider = AwsTestSupport.provider(config, dir.resolve('state'))
        provider
    }

    List<InstancePlan> plans() {
        InstanceExpander.expand(provider.config.instances(), provider::machineCpus, provider::defaultCpus)
    }

    InstanceRecord ensure(InstancePlan plan, InstanceRecord known = null) {
        provider.ensure(plan, Optional.ofNullable(known), { progress << it })
    }

    def "prices and the access check are capabilities the aws provider offers, and the local one does not"() {
        given:
        make("type 't3.micro'\neco true")

        when:
        def quotes = provider.pricing().orElseThrow().quote(plans())
        provider.preflight().orElseThrow().check()

        then:
        quotes*.type == ['t3.micro']
        quotes*.spot == [true]
        quotes*.hourly == [0.0031d]
        quotes*.note == ['spot, us-east-1a, now']

        and:
        def local = new LocalProvider(dir.resolve('local'))
        local.pricing().isEmpty()
        local.preflight().isEmpty()
    }

    def "a launch makes the tagged security group, key pair, instance and volume, and the instance runs"() {
        given:
        make("type 't3.micro'\nnumber 2")

        when:
        def records = plans().collect { ensure(it) }

        then:
        records*.status == ['RUNNING', 'RUNNING']
        records*.generation == [1, 1]
        records.every { it.handle().startsWith('us-east-1/i-') }
        fake.live().size() == 2
        fake.live().every { it.tags['katapult:project'] == 'proj' && it.state == 'running' }
        fake.live()*.tags*.getAt('katapult:key').sort() == ['aws-1-1', 'aws-1-2']
        fake.live().every { it.imageId == 'ami-noble' }      // newest Ubuntu LTS: 24.10 is newer but not LTS
        fake.securityGroups.size() == 1
        fake.keyPairs.size() == 1
        fake.volumes.values().every { it.tags['katapult:project'] == 'proj' }
        fake.count('CreateSecurityGroup') == 1
        fake.count('ImportKeyPair') == 1
    }

    def "the security group lets SSH in from ssh_cidr only, on ssh_port"() {
        given:
        make("type 't3.micro'\nsshPort 2222")

        when:
        ensure(plans()[0])
        def group = fake.securityGroups.values()[0]

        then:
        group.name == 'katapult-proj'
        group.ingress == [[protocol: 'tcp', from: 2222, to: 2222, cidr: '198.51.100.7/32']]
        new String(Base64.decoder.decode(fake.live()[0].userData)).contains('Port 2222')
    }

    def "a rule for another address is revoked when the group is reused"() {
        given:
        make("type 't3.micro'")
        ensure(plans()[0])
        def group = fake.securityGroups.values()[0]
        group.ingress << [protocol: 'tcp', from: 22, to: 22, cidr: '0.0.0.0/0']
        provider.close()
        make("type 't3.micro'")

        when:
        ensure(plans()[0], null)

        then:
        group.ingress == [[protocol: 'tcp', from: 22, to: 22, cidr: '198.51.100.7/32']]
    }

    AwsProvider makeWith(String globals, String instance, String project = 'proj') {
        Config config = new katapult.config.TempConfig(dir.resolve('cfg')).load("""
            katapult { project '${project}'; provider 'aws'; ${globals}
              instance { region 'us-east-1'; endpoint '${fake.endpoint}'; type 't3.micro'; ${instance} }
              job { runCommand 'true' } }""")
        provider = AwsTestSupport.provider(config, dir.resolve('state'))
        provider
    }

    def "an IPv6 rule nobody asks for is revoked when the group is reused"() {
        given:
        make("type 't3.micro'")
        ensure(plans()[0])
        def group = fake.securityGroups.values()[0]
        group.ingress << [protocol: 'tcp', from: 22, to: 22, cidr: '::/0']
        provider.close()
        make("type 't3.micro'")

        when:
        ensure(plans()[0], null)

        then:
        group.ingress == [[protocol: 'tcp', from: 22, to: 22, cidr: '198.51.100.7/32']]
    }

    def "an IPv6 ssh_cidr goes to Ipv6Ranges; ::/0 with ssh_open is let in"() {
        given:
        makeWith(globals, "sshCidr '${cidr}'")

        when:
        ensure(plans()[0])

        then:
        fake.securityGroups.values()[0].ingress == [[protocol: 'tcp', from: 22, to: 22, cidr: cidr]]

        where:
        globals        | cidr
        ''             | '2001:db8:1234::/48'
        'sshOpen true' | '::/0'
    }

    def "the rules are brought in line at every start, also by a provider that already started the instance"() {
        given: 'a session (the REPL) that started its instance, then someone opened the group to the world'
        make("type 't3.micro'")
        def record = ensure(plans()[0])
        def group = fake.securityGroups.values()[0]
        group.ingress << [protocol: 'tcp', from: 22, to: 22, cidr: '0.0.0.0/0']
        group.ingress << [protocol: 'tcp', from: 22, to: 22, cidr: '::/0']

        when: 'the same provider starts it again'
        ensure(plans()[0], record)

        then:
        group.ingress == [[protocol: 'tcp', from: 22, to: 22, cidr: '198.51.100.7/32']]
        fake.live().size() == 1
    }

    def "without ssh_cidr and without a public address, the error asks for ssh_cidr"() {
        given:
        Config config = new katapult.config.TempConfig(dir.resolve('cfg')).load("""
            katapult { project 'p'; provider 'aws'
              instance { region 'us-east-1'; endpoint '${fake.endpoint}'; type 't3.micro' }
              job { runCommand 'true' } }""")
        provider = new AwsProvider(config, dir.resolve('state'), AwsTestSupport.FAST, AwsTestSupport.CREDENTIALS,
                SshConnector.UNAVAILABLE, { null })

        when:
        ensure(plans()[0])

        then:
        def e = thrown(katapult.provider.ProviderException)
        e.message.contains('ssh_cidr')
    }

    def "the private key is made here, mode 0600, outside the project, and only its public half is imported"() {
        given:
        make("type 't3.micro'")

        when:
        ensure(plans()[0])
        Path key = home.resolve('keys/proj')

        then:
        Files.exists(key)
        PosixFilePermissions.toString(Files.getPosixFilePermissions(key)) == 'rw-------'
        Files.readString(key).startsWith('-----BEGIN PRIVATE KEY-----')
        fake.keyPairs.values()[0].material.startsWith('ssh-rsa ')
        !fake.keyPairs.values()[0].material.contains('PRIVATE')
        fake.keyPairs.values()[0].name == provider.keys().keyPairName('proj')
    }

    def "disk, cpus, spot and eco_life become the launch's options"() {
        given:
        make("""type 'c5.4xlarge'
                cpus 6
                diskSize 40
                diskType 'gp3'
                eco true
                maxBid 0.5
                ecoLife '90m'
                imgId 'ami-custom'""")

        when:
        ensure(plans()[0])
        def i = fake.live()[0]

        then:
        i.imageId == 'ami-custom'
        i.diskSize == 40 && i.diskType == 'gp3'       // on the image's own root device (/dev/xvda)
        i.coreCount == 4 && i.threadsPerCore == 2      // 6 cpus: the fewest valid cores that hold them
        i.spot && i.maxPrice == '0.5000'
        i.shutdownBehavior == 'terminate'
        new String(Base64.decoder.decode(i.userData)).contains('shutdown -h +90')
    }

    def "an instance's own shutdown stops an on-demand instance (disk kept) and terminates a one-time spot one: #entry"() {
        given:
        make(entry)

        when:
        ensure(plans()[0])

        then:
        fake.live()[0].shutdownBehavior == behavior

        where:
        entry                          || behavior
        "type 't3.micro'"              || 'stop'
        "type 't3.micro'\n eco true"   || 'terminate'
    }

    def "an arm type gets the arm64 Ubuntu LTS image"() {
        given:
        make("type 'm7g.large'")

        when:
        ensure(plans()[0])

        then:
        fake.live()[0].imageId == 'ami-noble-arm'
    }

    def "throttled describe and tag calls are retried with backoff"() {
        given:
        make("type 't3.micro'")
        fake.throttled['DescribeInstances'] = 3
        fake.throttled['DescribeSecurityGroups'] = 2
        fake.throttled['RunInstances'] = 2

        when:
        def record = ensure(plans()[0])

        then:
        record.status() == 'RUNNING'
        fake.live().size() == 1
        fake.count('RunInstances') == 3
    }

    def "a throttling storm longer than the SDK's tries is waited out, with a progress line"() {
        given: 'DescribeInstanceTypes throttled 60 times in a row: far more than any count of tries'
        make("type 't3.micro'")
        List<String> notices = []
        provider.notices { notices << it }
        fake.throttled['DescribeInstanceTypes'] = 60

        when:
        def record = ensure(plans()[0])

        then:
        record.status() == 'RUNNING'
        fake.count('DescribeInstanceTypes') > 60
        notices.size() == 1   // at most one line every 10 s
        notices[0].startsWith('AWS is throttling requests: backing off')
        notices[0].contains('retry_budget')
    }

    def "once retry_budget is spent, a throttled call gives up with a message that says what to do"() {
        given:
        makeWith("retryBudget '1s'", '')
        fake.throttled['DescribeInstanceTypes'] = 1_000_000
        long started = System.nanoTime()

        when:
        plans().each { ensure(it) }

        then:
        def e = thrown(Exception)
        e.message.contains('RequestLimitExceeded')
        e.message.contains('AWS kept throttling for the whole retry_budget')
        java.time.Duration.ofNanos(System.nanoTime() - started) >= java.time.Duration.ofMillis(900)
        java.time.Duration.ofNanos(System.nanoTime() - started) < java.time.Duration.ofSeconds(15)
        fake.live().isEmpty()
    }

    def "no capacity in the first zone: the launch moves on to the next subnet"() {
        given:
        make("type 't3.micro'")
        fake.noCapacityIn << 'us-east-1a'

        when:
        def record = ensure(plans()[0])

        then:
        record.status() == 'RUNNING'
        fake.live()*.az == ['us-east-1b']
        progress.any { it.contains('no t3.micro capacity in us-east-1a') }
    }

    def "no capacity anywhere fails fast with a clear message"() {
        given:
        make("type 't3.micro'")
        fake.noCapacityIn.addAll(['us-east-1a', 'us-east-1b'])

        when:
        ensure(plans()[0])

        then:
        def e = thrown(katapult.provider.LaunchException)
        e.message.contains('no capacity for t3.micro')
        fake.count('RunInstances') == 2 * AwsLauncher.LAUNCH_ROUNDS     // bounded: every subnet, twice
    }

    def "a max_bid under the spot price is given up at once, with EC2's reason"() {
        given:
        make("type 't3.large'\neco true\nmaxBid 0.001")

        when:
        ensure(plans()[0])

        then:
        def e = thrown(katapult.provider.LaunchException)
        e.message.contains('SpotMaxPriceTooLow')
        fake.count('RunInstances') == 1
    }

    def "a launch whose answer was lost is not made twice: the same ClientToken names the same instance"() {
        given:
        make("type 't3.micro'")
        fake.loseRunInstancesAnswers = 1
        fake.invisibleMillis = 400

        when:
        ensure(plans()[0])

        then:
        thrown(IOException)
        fake.instances.size() == 1

        when: 'Katapult runs again, with no record of the instance'
        provider.close()
        make("type 't3.micro'")
        def record = ensure(plans()[0])

        then:
        fake.instances.size() == 1
        record.handle().endsWith(fake.instances.keySet()[0])
    }

    def "an instance not yet visible right after launch is pending, not gone"() {
        given:
        make("type 't3.micro'")
        def record = ensure(plans()[0])
        fake.invisibleMillis = 60_000
        fake.instances.values()[0].visibleAt = System.currentTimeMillis() + 60_000

        expect:
        provider.statuses([record]) == [(record.name()): InstanceStatus.PENDING]
    }

    def "statuses of every instance come from one DescribeInstances"() {
        given:
        make("type 't3.micro'\nnumber 3")
        def records = plans().collect { ensure(it) }
        fake.stopFromOutside(fake.live()[1].id)
        int before = fake.count('DescribeInstances')

        when:
        def statuses = provider.statuses(records)

        then:
        fake.count('DescribeInstances') == before + 1
        statuses.values().toList() == ['RUNNING', 'STOPPED', 'RUNNING']
    }

    def "the fake's clock: a timed state holds until the clock is advanced past it"() {
        given: 'an instance stopped from outside, its stop taking a minute'
        fake.stoppingMillis = 60_000
        fake.instances['i-clock'] = new FakeEc2.FakeInstance(id: 'i-clock', state: 'running')
        fake.stopFromOutside('i-clock')

        when:
        fake.tick()

        then:
        fake.instances['i-clock'].state == 'stopping'

        when:
        fake.advance(60_000)
        fake.tick()

        then:
        fake.instances['i-clock'].state == 'stopped'
    }

    def "a stopped instance is started again, keeping its generation, disk and deployed environments"() {
        given:
        make("type 't3.micro'")
        def record = ensure(plans()[0]).withAgent('v1').withEnvKeys(['py-abc'])
        String volume = fake.live()[0].volumeId
        fake.stopFromOutside(fake.live()[0].id)
        fake.advance(fake.stoppingMillis)

        when:
        def revived = ensure(plans()[0], record.withStatus('STOPPED'))

        then:
        revived.handle() == record.handle()
        revived.generation() == 1
        revived.agentVersion() == 'v1'
        revived.envKeys() == ['py-abc']
        fake.live()[0].state == 'running'
        fake.live()[0].volumeId == volume
        fake.volumes.containsKey(volume)
    }

    def "a terminated or spot-interrupted instance is replaced by a new generation, from scratch"() {
        given:
        make("type 't3.micro'\neco true")
        def record = ensure(plans()[0]).withAgent('v1').withEnvKeys(['py-abc'])
        String old = fake.live()[0].id
        fake.interruptSpot(old)
        fake.advance(fake.shuttingDownMillis)

        expect:
        provider.statuses([record]).values().toList() == ['GONE']

        when:
        def replaced = ensure(plans()[0], record)

        then:
        replaced.generation() == 2
        replaced.agentVersion() == null
        replaced.envKeys() == []
        !replaced.handle().endsWith(old)
        fake.live().size() == 1
        fake.live()[0].tags['katapult:generation'] == '2'
        progress.any { it.contains('replacing') }
    }

    def "an instance found by its tags is adopted instead of launching another"() {
        given:
        make("type 't3.micro'")
        def first = ensure(plans()[0])

        when: 'the state was lost'
        def again = ensure(plans()[0])

        then:
        again.handle() == first.handle()
        fake.count('RunInstances') == 1
    }

    def "host key fingerprints are read from the console output"() {
        given:
        fake.consoleFingerprints = '''cloud-init
-----BEGIN SSH HOST KEY FINGERPRINTS-----
256 SHA256:AbCdEf0123456789abcdef0123456789ABCDEFghijk root@ip-172-31-0-5 (ED25519)
3072 SHA256:ZyXw9876543210zyxw9876543210ZYXW98765432100 root@ip-172-31-0-5 (RSA)
-----END SSH HOST KEY FINGERPRINTS-----
'''
        def seen = []
        Config config = AwsTestSupport.config(dir.resolve('cfg'), fake, "type 't3.micro'\nsshPort 2200\nimgUsername 'admin'")
        provider = AwsTestSupport.provider(config, dir.resolve('state'), { id, host, port, user, key, fp, known ->
            seen << [host, port, user, key, fp, id]
            null
        } as SshConnector)
        def record = ensure(plans()[0])

        when:
        provider.shell(record)

        then:
        seen.size() == 1
        seen[0][0] == fake.live()[0].publicIp
        seen[0][1] == 2200
        seen[0][2] == 'admin'
        seen[0][3] == home.resolve('keys/proj')
        seen[0][4] == ['SHA256:AbCdEf0123456789abcdef0123456789ABCDEFghijk', 'SHA256:ZyXw9876543210zyxw9876543210ZYXW98765432100']
        seen[0][5] == fake.live()[0].id
    }

    def "without fingerprints on the console, the host key is left to be pinned on first contact"() {
        given:
        def seen = []
        Config config = AwsTestSupport.config(dir.resolve('cfg'), fake, "type 't3.micro'")
        provider = AwsTestSupport.provider(config, dir.resolve('state'), { id, host, port, user, key, fp, known ->
            seen << fp; null } as SshConnector)
        def record = ensure(plans()[0])

        when:
        provider.shell(record)

        then:
        seen == [[]]
    }

    def "stop keeps the disk; remove terminates and the disk goes"() {
        given:
        make("type 't3.micro'")
        def record = ensure(plans()[0])
        String volume = fake.live()[0].volumeId

        when:
        provider.stop(record)

        then:
        fake.instances.values()[0].state == 'stopped'
        fake.volumes.containsKey(volume)

        when:
        provider.remove(record)

        then:
        fake.instances.values()[0].state == 'terminated'
        !fake.volumes.containsKey(volume)
    }

    def "cpus default to the type's vCPUs"() {
        given:
        make("type 'c5.4xlarge'")

        expect:
        plans()*.cpus == [16]
    }

    def "cloud_id picks the VPC; without a default VPC and without cloud_id, Katapult makes the project's own"() {
        given:
        fake.network.removeDefaultVpc()
        fake.vpcs['vpc-lab'] = [id: 'vpc-lab', isDefault: false, tags: [:]]
        fake.subnets << [id: 'subnet-lab', vpc: 'vpc-lab', az: 'us-east-1c']

        when:
        make("type 't3.micro'\ncloudId 'vpc-lab'")
        ensure(plans()[0])

        then:
        fake.live()*.subnetId == ['subnet-lab']
        fake.securityGroups.values()*.vpc == ['vpc-lab']
        fake.count('CreateVpc') == 0

        when:
        provider.close()
        make("type 't3.micro'", 'other')
        ensure(plans()[0])

        then:
        def own = fake.vpcs.values().find { it.tags['katapult:project'] == 'other' }
        own.cidr == AwsProjectVpc.CIDR
        fake.live().find { it.tags['katapult:project'] == 'other' }.vpcId == own.id
    }

    def "gpu is checked against the type's GPUs"() {
        when:
        make("type 'g4dn.xlarge'\ngpu 't4'")
        ensure(plans()[0])

        then:
        fake.live()*.type == ['g4dn.xlarge']

        when:
        provider.close()
        make("type 't3.micro'\ngpu 'A100'")
        ensure(plans()[0])

        then:
        def e = thrown(katapult.provider.ProviderException)
        e.message.contains("type t3.micro has no 'A100' GPU (it has none)")
    }
}
