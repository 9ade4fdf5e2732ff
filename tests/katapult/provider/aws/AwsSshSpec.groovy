package katapult.provider.aws

import spock.lang.Ignore
import spock.lang.Specification

/**
 * The aws specs that need real SSH: each fake EC2 instance an embedded MINA SSHD test host on its own loopback
 * address (127.0.0.x, own HOME), reached by the provider through {@code SshShell} with the project's key and the
 * host key fingerprints of the fake's console output. They wait for the ssh branch (issue 3) to land on main; until
 * then {@link AwsSessionSpec} runs the same scenarios with folder-backed stand-in hosts.
 */
class AwsSshSpec extends Specification {

    static final String WAITING = 'waits for SshShell and the MINA SSHD test hosts of the ssh branch (issue 3), not yet on main'

    @Ignore(WAITING)
    def "a full run on 2 instances over SSH: every run DONE and fetched, host keys pinned from the console"() {
        given: 'a fake EC2 whose running instances are SSH test hosts on 127.0.0.x:2222, fingerprints on the console'
        when: 'katapult run on a config with endpoint, ssh_port 2222 and ssh_cidr 127.0.0.0/8'
        then: 'every run DONE, results fetched, known_hosts holds the fingerprinted keys, down leaves nothing tagged'
        false
    }

    @Ignore(WAITING)
    def "Katapult (a separate JVM) killed right after RunInstances and run again: still 2 instances"() {
        given: 'katapult run in a child JVM, killed once the fake has answered its RunInstances'
        when: 'katapult run again'
        then: 'the fake holds 2 instances, every run DONE'
        false
    }

    @Ignore(WAITING)
    def "an instance stopped mid-run over SSH is started again and the results are complete"() {
        given: 'runs RUNNING on two SSH hosts'
        when: 'the fake stops one (its SSH host goes down, its HOME stays)'
        then: 'the instance is started again with its disk, its runs re-run, every run DONE'
        false
    }

    @Ignore(WAITING)
    def "an instance terminated or spot-interrupted mid-run over SSH is replaced"() {
        given: 'runs RUNNING on two SSH hosts'
        when: 'the fake terminates one (its HOME is lost) or interrupts a spot one'
        then: 'a generation-2 instance gets the agent and environments again, its runs are re-queued, every run DONE'
        false
    }
}
