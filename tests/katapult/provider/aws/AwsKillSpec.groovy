package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Katapult as its own JVM on provider 'aws', killed with SIGKILL while EC2 is making its second instance (the
 * request made, the answer never read, nothing saved), then run again: still 2 instances, every run DONE.
 */
@Timeout(180)
@Tag('e2e')
class AwsKillSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    Process katapult(String... args) {
        def properties = ['aws.accessKeyId=AKIDFAKE', 'aws.secretAccessKey=fake-secret',
                          "aws.sharedCredentialsFile=${ws.resolve('none')}", "aws.configFile=${ws.resolve('none')}",
                          "katapult.home=${ws.resolve('home')}", "katapult.test.machines=${ws.resolve('machines')}",
                          'katapult.aws.poll=50', 'katapult.aws.retryBase=5', 'katapult.aws.retryMax=40',
                          'katapult.aws.notFoundGrace=5000', 'katapult.aws.offline=true'].collect { "-D$it".toString() }
        KatapultJvm.start(ws, args as List, properties, [:], AwsChildMain.name)
    }

    def "killed while EC2 makes its second instance, Katapult run again has still 2 instances"() {
        given:
        def config = Files.writeString(ws.resolve('kill.groovy'), """katapult {
            project 'awskill'
            provider 'aws'
            autoStop false
            instance {
                name 'w'; number 2; type 't3.micro'
                region 'us-east-1'; endpoint '${fake.endpoint}'; sshCidr '198.51.100.7/32'
            }
            job { name 'work'; runCommand 'echo "\$KATAPULT_RUN_ID" > out.txt'; outputFiles 'out.txt'; repeat 4 }
        }""")
        fake.invisibleMillis = 3000
        Process first = null
        fake.onLaunch = { FakeEc2.FakeInstance i ->
            if (fake.instances.size() == 2) {
                first.destroyForcibly()
                first.waitFor(10, TimeUnit.SECONDS)
            }
        }

        when: 'the first Katapult is killed with SIGKILL inside its second RunInstances'
        first = katapult('run', config.toString())
        first.waitFor(60, TimeUnit.SECONDS)

        then:
        fake.instances.size() == 2
        !Files.exists(ws.resolve('.katapult/awskill/state.json')) ||
                Files.readString(ws.resolve('.katapult/awskill/state.json')).count('"handle"') < 2

        when: 'it is run again'
        fake.onLaunch = { }
        def second = katapult('run', config.toString())
        def finished = second.waitFor(120, TimeUnit.SECONDS)

        then:
        finished
        second.exitValue() == 0
        fake.instances.size() == 2
        fake.live().size() == 2
        (1..4).every { Files.exists(ws.resolve("results/awskill/work/$it/out.txt")) }
    }
}
