package katapult.transport

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import spock.lang.Specification
import spock.lang.TempDir

class LocalShellSpec extends Specification {

    @TempDir
    Path home

    def "a command runs with the sandbox as HOME and as its folder"() {
        when:
        def result = new LocalShell(home, 'box').exec('echo "$HOME"; pwd; echo oops >&2; exit 3')

        then:
        result.exitCode() == 3
        result.stdout() == "${home}\n${home}\n"
        result.stderr() == 'oops\n'
    }

    def "stdin reaches the command"() {
        expect:
        new LocalShell(home, 'box').exec('cat', 'fed in', Duration.ofSeconds(10)).stdout() == 'fed in'
    }

    def "a command running too long is killed and reported"() {
        when:
        new LocalShell(home, 'box').exec('sleep 30', null, Duration.ofMillis(300))

        then:
        def e = thrown(IOException)
        e.message.contains('timed out')
    }

    def "put and get copy files relative to the sandbox and refuse paths leaving it"() {
        given:
        def shell = new LocalShell(home, 'box')
        def local = Files.writeString(Files.createTempFile('k', '.txt'), 'payload')

        when:
        shell.put(local, 'a/b/file.txt')
        def back = Files.createTempFile('k', '.back')
        shell.get('a/b/file.txt', back)

        then:
        Files.readString(home.resolve('a/b/file.txt')) == 'payload'
        Files.readString(back) == 'payload'

        when:
        shell.put(local, '../outside.txt')

        then:
        thrown(IOException)
    }

    def "a folder named outside the sandbox is reachable by its absolute path, nothing else outside is"() {
        given:
        def sandbox = Files.createDirectories(home.resolve('sandbox'))
        def shared = Files.createDirectories(home.resolve('shared'))
        def shell = new LocalShell(sandbox, 'box', [shared])
        def local = Files.writeString(Files.createTempFile('k', '.txt'), 'payload')

        when:
        shell.put(local, shared.resolve('p/files/x').toString())

        then:
        Files.readString(shared.resolve('p/files/x')) == 'payload'

        when:
        shell.put(local, shared.resolve('../elsewhere.txt').toString())

        then:
        thrown(IOException)
        !Files.exists(home.resolve('elsewhere.txt'))
    }

    def "orThrow names the step and the command's last words"() {
        when:
        new LocalShell(home, 'box').exec('echo first >&2; echo last words >&2; exit 4').orThrow('doing a thing')

        then:
        def e = thrown(IOException)
        e.message.startsWith('doing a thing failed (exit 4)')
        e.message.contains('last words')
    }
}
