package katapult.config

import java.nio.file.Path
import java.time.Duration

import spock.lang.Specification
import spock.lang.TempDir

/** idle_stop, heartbeat_timeout and abandon_after: global keys that an aws instance entry may override. */
class LifecycleKeysSpec extends Specification {

    @TempDir
    Path dir

    Lifecycle lifecycle(String text, int entry = 0) {
        new TempConfig(dir).load(text).instances()[entry].aws().lifecycle()
    }

    def "defaults: idle stop after 10 minutes, dead-man after 30 minutes, abandon after 24 hours"() {
        expect:
        lifecycle("config = [provider: 'aws', instances: [[type: 't']]]") ==
                new Lifecycle(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(24))
    }

    def "the global keys apply to every entry; an entry's own keys win for it"() {
        given:
        String text = """katapult {
            provider 'aws'
            idleStop '45s'
            heartbeatTimeout '2m'
            abandonAfter '1h'
            instance { type 't' }
            instance { type 't'; idleStop 'off'; abandonAfter '3h' }
        }"""

        expect:
        lifecycle(text, 0) == new Lifecycle(Duration.ofSeconds(45), Duration.ofMinutes(2), Duration.ofHours(1))
        lifecycle(text, 1) == new Lifecycle(Duration.ZERO, Duration.ofMinutes(2), Duration.ofHours(3))
        lifecycle(text, 1).idleStopOff()
    }

    def "'#value' for #key is refused at its line"() {
        when:
        new TempConfig(dir).load("config = [provider: 'aws',\n $key: $value, instances: [[type: 't']]]")

        then:
        def e = thrown(ConfigException)
        e.message.contains('cfg.groovy:2:') && e.message.contains("'$key'")

        where:
        key                 | value
        'idle_stop'         | "'soon'"
        'idle_stop'         | '10'
        'heartbeat_timeout' | "'off'"
        'abandon_after'     | "'0s'"
    }
}
