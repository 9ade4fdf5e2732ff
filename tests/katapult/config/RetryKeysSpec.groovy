package katapult.config

import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir

/** max_retries and max_preemptions (job keys) and spot_fallback (an aws instance key). */
class RetryKeysSpec extends Specification {

    @TempDir
    Path dir

    Config load(String text) {
        new TempConfig(dir).load(text)
    }

    def "defaults: no retry, 10 preemptions, no fallback"() {
        when:
        def config = load("config = [provider: 'aws', instances: [[type: 't', eco: true]], jobs: [[run_command: 'true']]]")

        then:
        config.jobs()[0].maxRetries() == 0
        config.jobs()[0].maxPreemptions() == 10
        config.instances()[0].aws().spotFallback() == null
    }

    def "both forms set them"() {
        when:
        def block = load("""katapult {
            provider 'aws'
            instance { type 't'; eco true; spotFallback 2 }
            job { runCommand 'true'; maxRetries 3; maxPreemptions 0 }
        }""")
        def map = load("config = [provider: 'aws', instances: [[type: 't', eco: true, spot_fallback: 2]], " +
                "jobs: [[run_command: 'true', max_retries: 3, max_preemptions: 0]]]")

        then:
        [block, map].every { it.jobs()[0].maxRetries() == 3 && it.jobs()[0].maxPreemptions() == 0 }
        [block, map].every { it.instances()[0].aws().spotFallback() == 2 }
        block.instances()[0].aws().onDemand().eco() == false
        block.instances()[0].aws().onDemand().type() == 't'
    }

    def "'#value' for #key is refused at its line, naming the key"() {
        when:
        load("config = [provider: 'aws', instances: [[type: 't', eco: true]],\n jobs: [[run_command: 'true', $key: $value]]]")

        then:
        def e = thrown(ConfigException)
        e.message.contains('cfg.groovy:2:') && e.message.contains("'$key'")

        where:
        key               | value
        'max_retries'     | '-1'
        'max_retries'     | '101'
        'max_retries'     | "'two'"
        'max_preemptions' | '-3'
    }

    def "spot_fallback without eco is refused at its line: it falls back from spot"() {
        when:
        load("config = [provider: 'aws',\n instances: [[type: 't', spot_fallback: 1]], jobs: [[run_command: 'true']]]")

        then:
        def e = thrown(ConfigException)
        e.message.contains('cfg.groovy:2:')
        e.message.contains("'spot_fallback'") && e.message.contains("'eco true'")
    }
}
