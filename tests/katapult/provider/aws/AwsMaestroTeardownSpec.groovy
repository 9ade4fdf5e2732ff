package katapult.provider.aws

import java.nio.file.Path

import katapult.config.Config
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * `down` as the remote maestro runs it: the workers and their volumes go; the maestro's own instance and its volume
 * (tagged with the project like the workers') stay, since the maestro runs on them.
 */
@Timeout(60)
@Tag('e2e')
class AwsMaestroTeardownSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    def cleanup() {
        AwsTestSupport.clearFakeAws()
    }

    AwsTeardown teardown(Config config, Path stateDir) {
        def regions = new AwsRegions(config, AwsTestSupport.FAST, AwsTestSupport.CREDENTIALS)
        def ledger = new AwsLedger(stateDir)
        def keys = AwsKeys.of(ws.resolve('home'), config.project())
        def network = new AwsNetwork(config, regions, { '203.0.113.9' },
                new AwsProjectVpc(config.project(), ledger, AwsTestSupport.FAST), true)
        new AwsTeardown(config.project(), keys, AwsTestSupport.FAST, ledger, regions,
                new AwsInstances(config.project(), AwsTestSupport.FAST, ledger, regions), network,
                new AwsKeyPairs(config.project(), keys), true)
    }

    def "down on the maestro keeps the maestro's instance and volume, and removes a worker's volume left behind"() {
        given: 'a maestro launched as the hand-off does, and a worker volume left behind'
        AwsTestSupport.useFakeAws(ws, ws.resolve('home'))
        Config config = AwsTestSupport.config(ws, fake, "type 't3.micro'")
        Path stateDir = ws.resolve('state')
        def provider = AwsTestSupport.provider(config, stateDir)
        provider.maestroHosting().get().ensure({ })
        provider.close()
        def maestro = fake.instances.values().find { it.tags['katapult:role'] == 'maestro' }
        fake.volumes['vol-left'] = [id: 'vol-left', size: 8, type: 'gp3', az: 'us-east-1a',
                                    tags: ['katapult:project': config.project()], status: { -> 'available' }]

        when:
        def cleanUp = teardown(config, stateDir).cleanUp(false, { })

        then: 'the worker volume is gone; the maestro and its volume are still there'
        cleanUp.deleted() == ['volume vol-left (us-east-1)']
        !fake.volumes.containsKey('vol-left')
        fake.volumes.containsKey(maestro.volumeId)
        maestro.state == 'running'
    }
}
