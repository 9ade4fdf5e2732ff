package katapult.util

import java.time.Duration

import spock.lang.Specification

class BackoffSpec extends Specification {

    def "doubles from first after each failure, never past max"() {
        given:
        def backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1))

        expect:
        (0..6).collect { backoff.delay(it).toMillis() } == [100, 100, 200, 400, 800, 1000, 1000]
        backoff.delay(10_000) == Duration.ofSeconds(1) // no overflow however many failures
    }

    def "half jitter stays in the upper half of the delay and varies"() {
        given:
        def backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withHalfJitter()

        when:
        def drawn = (1..200).collect { backoff.delay(3).toNanos() }

        then:
        drawn.every { it >= Duration.ofMillis(200).toNanos() && it <= Duration.ofMillis(400).toNanos() }
        drawn.toSet().size() > 1
    }

    def "refuses a max below first"() {
        when:
        Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1))

        then:
        thrown(IllegalArgumentException)
    }
}
