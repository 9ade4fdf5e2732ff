package katapult.transport

import java.nio.file.Path

import spock.lang.Specification

class SshAccessSpec extends Specification {

    def "the config block pins by alias when given, quotes paths with spaces, and never relaxes host key checking"() {
        given:
        def access = new SshAccess(new SshTarget('ubuntu', '10.0.0.5', 2222, Path.of('/k dir/id')), 'i-0abc',
                [Path.of('/p/known_hosts'), Path.of('/h s/known_hosts')])

        when:
        def block = access.configBlock('proj-box')

        then:
        block.startsWith('Host proj-box\n  HostName 10.0.0.5\n')
        block.contains('  User ubuntu\n')
        block.contains('  Port 2222\n')
        block.contains('  IdentityFile "/k dir/id"\n')
        block.contains('  IdentitiesOnly yes\n')
        block.contains('  UserKnownHostsFile /p/known_hosts "/h s/known_hosts"\n')
        block.contains('  StrictHostKeyChecking yes\n')
        block.contains('  HostKeyAlias i-0abc\n')
        !block.toLowerCase().contains('stricthostkeychecking no')
    }

    def "the ssh command line: options, -t for a shell, the host after --, then the command"() {
        given:
        def access = new SshAccess(new SshTarget('me', 'h', 22, null), null, [Path.of('/kh')])

        expect:
        access.sshCommand('ssh', []).takeRight(3) == ['-t', '--', 'h']
        access.sshCommand('ssh', ['ls', '-l']).takeRight(4) == ['--', 'h', 'ls', '-l']
        access.sshCommand('ssh', []).contains('StrictHostKeyChecking=yes')
        !access.sshCommand('ssh', []).any { it.startsWith('IdentityFile') }
    }

    def "a value OpenSSH cannot take quoted is refused: #value"() {
        when:
        SshAccess.configWord(value)

        then:
        thrown(IllegalArgumentException)

        where:
        value << ['a"b', 'a\nHost *', '%h']
    }
}
