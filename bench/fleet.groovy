// The fleet measure of bench/fleet: `start` (launch, reach, install the agent) of N instances on the fake EC2 of
// the specs, whose machines are the FakeHosts (a folder per instance reached with a LocalShell). Prints one line
// per count: "instances N wall S cpu C runInstances R contacts K".
//
// usage: java -cp <test classpath> groovy.ui.GroovyMain bench/fleet.groovy ROOT N [N ...]
import java.lang.management.ManagementFactory
import java.nio.file.Files
import java.nio.file.Path

import katapult.provider.aws.AwsProvider
import katapult.provider.aws.AwsTestSupport
import katapult.provider.aws.FakeEc2
import katapult.provider.aws.FakeHosts
import katapult.providers.ProviderFactory
import katapult.session.Session

Path root = Path.of(args[0])
// one home for every count: the project's SSH key (an RSA key, 0.3–3 s of cpu to make) is made once, in the
// warm-up, as for a user whose project has started before; no count's figure holds a key generation
Path home = Files.createDirectories(root.resolve('home'))
def cpu = { -> (ManagementFactory.operatingSystemMXBean as com.sun.management.OperatingSystemMXBean).processCpuTime / 1e9 }
args.drop(1).eachWithIndex { String n, int k ->
    Path ws = Files.createDirectories(root.resolve("fleet-${k}-${n}"))
    def fake = new FakeEc2()
    def hosts = new FakeHosts(Files.createDirectories(ws.resolve('machines')), fake)
    AwsTestSupport.useFakeAws(ws, home)
    Path config = ws.resolve('cfg.groovy')
    Files.writeString(config, """
        katapult {
            project 'fleet'
            provider 'aws'
            autoStop false
            instance {
                name 'w'
                region 'us-east-1'
                endpoint '${fake.endpoint}'
                sshCidr '198.51.100.7/32'
                type 't3.micro'
                number ${n}
            }
            job { name 'j'; runCommand 'true'; cpusReq 2; repeat ${n} }
        }""")
    try {
        long t0 = System.nanoTime()
        double c0 = cpu()
        def session = Session.open(ws, config, { }, { cfg, dir -> AwsProvider.create(cfg, dir, hosts) } as ProviderFactory)
        session.start()
        double wall = (System.nanoTime() - t0) / 1e9
        double used = cpu() - c0
        int ready = session.status().instances().count { it.agentVersion() != null }
        printf('instances %s wall %.3f cpu %.3f ready %d runInstances %d describeInstances %d distinct %d contacts %d%n', n,
                wall, used, ready, fake.count('RunInstances'), fake.count('DescribeInstances'), fake.instances.size(),
                hosts.contacts.size())
        session.close()
    } finally {
        hosts.close()
        fake.close()
        AwsTestSupport.clearFakeAws()
    }
}
System.exit(0)
