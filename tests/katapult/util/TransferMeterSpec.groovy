package katapult.util

import spock.lang.Specification

/** What a transfer tells as it goes: nothing when small, progress every 2 s and a summary when large. */
class TransferMeterSpec extends Specification {

    long now = 0
    List<String> said = []

    TransferMeter meter(String what = 'h1: fetch') {
        new TransferMeter(what, { said << it }, { now })
    }

    def "a small transfer says nothing"() {
        given:
        def m = meter()

        when:
        now = 5_000_000_000L
        m.add(1_000_000)
        m.done()

        then:
        said.isEmpty()
        m.bytes() == 1_000_000
    }

    def "a large transfer says how far it is every 2 s, of how much when known, and sums up with its rate"() {
        given:
        def m = meter()
        m.expect(300_000_000)

        when:
        now = 1_000_000_000L
        m.add(50_000_000)            // under 2 s since the start: quiet
        now = 2_000_000_000L
        m.add(50_000_000)            // 2 s: a progress line
        now = 3_000_000_000L
        m.add(100_000_000)           // 1 s after that line: quiet
        now = 3_000_000_000L
        m.add(100_000_000)
        now = 4_000_000_000L
        m.done()

        then:
        said == ['h1: fetch: 100.0 MB of 300.0 MB at 50 MB/s',
                 'h1: fetch: 300.0 MB in 4.0 s (75 MB/s)']
    }

    def "sizes read as transfer tools show them"() {
        expect:
        TransferMeter.size(bytes) == shown

        where:
        bytes          | shown
        512            | '0.5 kB'
        10_240         | '10.2 kB'
        314_572_800    | '314.6 MB'
        2_500_000_000  | '2.50 GB'
    }
}
