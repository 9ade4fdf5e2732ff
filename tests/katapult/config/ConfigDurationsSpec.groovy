package katapult.config

import java.time.Duration
import spock.lang.Specification

class ConfigDurationsSpec extends Specification {

    def "'#text' reads as #expected"() {
        expect:
        Durations.parse(text) == expected

        where:
        text       || expected
        '45s'      || Duration.ofSeconds(45)
        '90m'      || Duration.ofMinutes(90)
        '2h'       || Duration.ofHours(2)
        '1d'       || Duration.ofDays(1)
        '1h30m'    || Duration.ofMinutes(90)
        '1h 30m'   || Duration.ofMinutes(90)
        '1d2h3m4s' || Duration.ofSeconds(86400 + 7200 + 180 + 4)
        '2H'       || Duration.ofHours(2)
        '90'       || null
        ''         || null
        'soon'     || null
        '30m1h'    || null
        '1.5h'     || null
    }

    def "#duration is written '#text' and reads back"() {
        expect:
        Durations.format(duration) == text
        Durations.parse(text) == duration

        where:
        duration                  || text
        Duration.ofMinutes(90)    || '1h30m'
        Duration.ofSeconds(45)    || '45s'
        Duration.ofDays(2)        || '2d'
        Duration.ofSeconds(3661)  || '1h1m1s'
    }
}
