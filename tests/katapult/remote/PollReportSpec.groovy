package katapult.remote

import spock.lang.Specification

class PollReportSpec extends Specification {

    def "poll output is parsed line by line"() {
        when:
        def report = PollReport.parse('''agent\trunning
env\tpy-abc\tREADY\t-
env\tjl-def\tFAILED\tjulia failed (exit 1)
run\tu1-1.1\tDONE\t0\t100\t105\t-
run\tu1-2.1\tRUNNING\t-\t101\t-\t-
run\tu1-3.2\tABORTED\t3\t100\t102\texit code 3
''')

        then:
        report.agent() == 'running'
        report.envs()['py-abc'].status() == 'READY'
        report.envs()['jl-def'].reason() == 'julia failed (exit 1)'
        report.runs()['u1-1.1'] == new PollReport.RunStatus('u1-1.1', 'DONE', 0, 100L, 105L, null)
        report.runs()['u1-2.1'].exit() == null
        report.runs()['u1-3.2'].reason() == 'exit code 3'
        report.garbled().isEmpty()
    }

    def "lines outside the protocol are set aside, never trusted: #line"() {
        expect:
        PollReport.parse(line).garbled() == [line]
        PollReport.parse(line).runs().isEmpty()

        where:
        line << ['run\t../../etc\tDONE\t0\t1\t2\t-', 'run\tu1.1\tPWNED\t0\t1\t2\t-', 'run\tu1.1', 'hello world',
                 'env\t/abs\tREADY\t-']
    }

    def "an environment's status word is read as a state, settled once READY or FAILED: #word"() {
        when:
        def env = PollReport.parse("env\tpy-abc\t${word}\t-").envs()['py-abc']

        then:
        env.state() == state
        env.settled() == settled
        env.failed() == (state == Protocol.EnvState.FAILED)

        where:
        word      | state                       | settled
        'PENDING' | Protocol.EnvState.PENDING   | false
        'SETUP'   | Protocol.EnvState.SETUP     | false
        'READY'   | Protocol.EnvState.READY     | true
        'FAILED'  | Protocol.EnvState.FAILED    | true
        'LATER'   | Protocol.EnvState.PENDING   | false
    }

    def "numbers that are not numbers become unknown"() {
        expect:
        PollReport.parse('run\tu.1\tDONE\tx\t1e9\t-\t-').runs()['u.1'].exit() == null
    }

    def "the agent line's clocks: read when there, none from an older poll.sh, garbled ones unknown"() {
        expect:
        PollReport.parse('agent\trunning\t100\t200\t600\t1800\n').clocks() == new AgentClocks(100, 200, 600, 1800)
        PollReport.parse('agent\trunning\t-\t200\t0\t1800\n').clocks() == new AgentClocks(null, 200, 0, 1800)
        PollReport.parse('agent\tnone\n').clocks() == AgentClocks.NONE
        !PollReport.parse('agent\tnone\n').clocks().known()
        PollReport.parse('agent\trunning\tx\t-7\t1e3\t\n').clocks() == AgentClocks.NONE
        PollReport.parse('agent\trunning\t100\t200\t600\t1800\n').agent() == 'running'
    }

    def "the disk line: free and total bytes when told, null when not told, a garbled one set aside"() {
        expect:
        PollReport.parse('agent\trunning\ndisk\t800000000\t100000000000\n').disk() == new DiskSpace(800_000_000L, 100_000_000_000L)
        PollReport.parse('agent\trunning\ndisk\t800000000\t100000000000\n').garbled().isEmpty()
        PollReport.parse('agent\trunning\n').disk() == null
        PollReport.parse('agent\trunning\ndisk\tlots\t-\n').disk() == null
        PollReport.parse('agent\trunning\ndisk\tlots\t-\n').garbled() == ['disk\tlots\t-']
    }

    def "a size as people read it: #n"() {
        expect:
        DiskSpace.bytes(n) == shown

        where:
        n                  || shown
        0L                 || '0 B'
        999L               || '999 B'
        1_500L             || '1.5 kB'
        87_108_864L        || '87.1 MB'
        2_100_000_000L     || '2.1 GB'
        3_000_000_000_000L || '3.0 TB'
    }
}
