package katapult.terminal

import java.nio.charset.StandardCharsets

import katapult.remote.AgentClocks
import katapult.remote.DiskSpace
import katapult.session.InstanceReadings
import katapult.session.Status
import katapult.state.InstanceRecord
import spock.lang.Specification

/** The status table and JSON show each instance's idle and heartbeat clocks when it told them. */
class TablesClocksSpec extends Specification {

    static long now = 1_000_000

    def "the clocks as one cell: #clocks"() {
        expect:
        Tables.clocks(clocks, now) == shown

        where:
        clocks                                            || shown
        new AgentClocks(now - 180, now - 20, 600, 1800)   || 'idle 3m/10m · heard 20s ago'
        new AgentClocks(now - 5, now - 3700, 0, 1800)     || 'idle 5s/off · heard 1h1m ago'
        new AgentClocks(null, now - 2, 600, 1800)         || 'not idle · heard 2s ago'
        new AgentClocks(now - 5, null, 600, 1800)         || 'idle 5s/10m'
        null                                              || '-'
    }

    def "the table gets a LIFECYCLE column only when some instance told its clocks"() {
        given:
        def instances = [new InstanceRecord('w-0', 'aws', 'us-east-1/i-1', 2, 'RUNNING', 1, null, []),
                         new InstanceRecord('w-1', 'aws', 'us-east-1/i-2', 2, 'STOPPED', 1, null, [])]
        def plain = new Status('p', true, instances, [])
        long nowSeconds = System.currentTimeMillis().intdiv(1000)
        def told = plain.withClocks(['w-0': new AgentClocks(nowSeconds - 125, nowSeconds - 20, 600, 1800)])

        expect:
        !print(plain).contains('LIFECYCLE')
        print(told).contains('LIFECYCLE')
        print(told) =~ /w-0\s+aws\s+RUNNING\s+2\s+-\s+idle 2m\/10m · heard \d+s ago/
        print(told) =~ /w-1\s+aws\s+STOPPED\s+2\s+-\s+-/

        and: 'JSON: seconds, only for the instances that told them'
        def json = Json.status(told)
        json.instances[0].clocks.idle_stop_seconds == 600L
        json.instances[0].clocks.heartbeat_timeout_seconds == 1800L
        (json.instances[0].clocks.idle_seconds as long) in 124L..130L
        (json.instances[0].clocks.heard_seconds_ago as long) in 19L..25L
        !json.instances[1].containsKey('clocks')
    }

    def "the table gets a DISK column only when some instance told its disk; JSON gives the bytes"() {
        given:
        def instances = [new InstanceRecord('w-0', 'ssh', 'h0', 2, 'RUNNING', 1, null, []),
                         new InstanceRecord('w-1', 'ssh', 'h1', 2, 'STOPPED', 1, null, [])]
        def plain = new Status('p', true, instances, [])
        def told = plain.with(new InstanceReadings([:], ['w-0': new DiskSpace(800_000_000L, 100_000_000_000L)]))

        expect:
        !print(plain).contains('DISK')
        print(told) =~ /INSTANCE\s+PROVIDER\s+STATUS\s+CPUS\s+RUNS\s+DISK\n/
        print(told) =~ /w-0\s+ssh\s+RUNNING\s+2\s+-\s+800.0 MB free of 100.0 GB\n/
        print(told) =~ /w-1\s+ssh\s+STOPPED\s+2\s+-\s+-\n/
        Json.status(told).instances[0].disk == [free: 800_000_000L, total: 100_000_000_000L]
        !Json.status(told).instances[1].containsKey('disk')
    }

    static String print(Status status) {
        def bytes = new ByteArrayOutputStream()
        Tables.print(status, new PrintStream(bytes, true, StandardCharsets.UTF_8), false)
        bytes.toString(StandardCharsets.UTF_8)
    }
}
