package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path

import katapult.cli.Main
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** The estimate and confirmation of {@code run}, through the CLI against the fake EC2 and its price list. */
@Timeout(60)
@Tag('e2e')
class AwsCostCliSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    @Shared
    @TempDir
    Path home

    def setup() {
        AwsTestSupport.useFakeAws(ws, home)
    }

    def cleanup() {
        AwsTestSupport.clearFakeAws()
    }

    List katapult(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), args)
        [code, out.toString(), err.toString()]
    }

    Path config(String extra) {
        Path config = ws.resolve('c.groovy')
        Files.writeString(config, """katapult { project 'costly'; provider 'aws'; ${extra}
            instance { region 'us-east-1'; endpoint '${fake.endpoint}'; sshCidr '198.51.100.7/32'; type 't3.large'; number 2 }
            job { runCommand 'true'; repeat 2 } }""")
        config
    }

    def "run prints the estimate and, above confirm_above without a terminal, stops before creating anything"() {
        when:
        def (code, out, err) = katapult('run', '-C', ws.toString(), config('confirmAbove 0.1').toString())

        then:
        code == 1
        err.contains('estimated cost: $0.1664/hour for 2 instance(s)')
        err.contains('above confirm_above ($0.1000/hour)')
        err.contains('pass --yes')
        !err.contains('Exception')
        fake.count('RunInstances') == 0
        fake.count('CreateSecurityGroup') == 0
        fake.count('ImportKeyPair') == 0
    }

    def "with maestro 'remote', run prints the estimate with the maestro's own price and stops before the hand-off creates anything"() {
        when:
        def (code, out, err) = katapult('run', '-C', ws.toString(), config("maestro 'remote'; confirmAbove 0.1").toString())

        then: 'two t3.large workers ($0.0832 each, the price list API) and the t3.small maestro ($0.0208, the table)'
        code == 1
        err.contains('estimated cost: $0.1872/hour for 3 instance(s)')
        err.contains('above confirm_above ($0.1000/hour)')
        err.contains('pass --yes')
        !err.contains('Exception')
        fake.count('RunInstances') == 0
        fake.count('CreateSecurityGroup') == 0
        fake.count('ImportKeyPair') == 0
        !Files.exists(ws.resolve('.katapult/costly/maestro.json'))
    }
}
