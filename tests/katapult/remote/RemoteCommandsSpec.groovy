package katapult.remote

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.transport.LocalShell
import spock.lang.Specification
import spock.lang.TempDir

class RemoteCommandsSpec extends Specification {

    @TempDir
    Path home

    String exec(String command) {
        def result = new LocalShell(home, 'box').exec(command, null, Duration.ofSeconds(30))
        assert result.ok()
        result.stdout()
    }

    def "a file is read whole, and a missing one reads as nothing: #name"() {
        given:
        Files.createDirectories(home.resolve('logs'))
        Files.writeString(home.resolve('logs').resolve(name), 'one\ntwo\nthree\n')

        expect:
        exec(RemoteCommands.readFile('logs/' + name)) == 'one\ntwo\nthree\n'
        exec(RemoteCommands.tail('logs/' + name, 2)) == 'two\nthree\n'
        exec(RemoteCommands.readFile('logs/missing ' + name)) == ''
        exec(RemoteCommands.tail('logs/missing ' + name, 2)) == ''
        !Files.exists(home.resolve('pwned'))

        where:
        name << ['out.log', "it's \$(touch pwned) `touch pwned`.log"]
    }

    def "the cpu count comes first, then the installed agent's version if any"() {
        given:
        def layout = new RemoteLayout('proj').on('box')

        when:
        def before = exec(RemoteCommands.cpusAndAgentVersion(layout)).readLines()
        Files.createDirectories(home.resolve(layout.script('version')).parent)
        Files.writeString(home.resolve(layout.script('version')), 'v1\n')
        def after = exec(RemoteCommands.cpusAndAgentVersion(layout)).readLines()

        then:
        before.size() == 1 && before[0].isInteger() && before[0] as int >= 1
        after == [before[0], 'v1']
    }
}
