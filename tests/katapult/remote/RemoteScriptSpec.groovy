package katapult.remote

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.LeftoverProcesses
import katapult.transport.LocalShell
import spock.lang.Specification
import spock.lang.TempDir

class RemoteScriptSpec extends Specification {

    @TempDir
    Path home

    def cleanup() {
        LeftoverProcesses.kill(home)
    }

    def layout = new RemoteLayout('proj')

    def run(String script) {
        new LocalShell(home, 'box').exec('bash -s', script, Duration.ofSeconds(30))
    }

    Path root() {
        home.resolve('.katapult/proj')
    }

    def "a run is written with its files and queued; sending it again changes nothing"() {
        given:
        Files.createDirectories(root().resolve('files'))
        Files.writeString(root().resolve('files/abc'), 'data')
        def payload = new RunPayload('u-1.1', "echo 'hi'\n", 'py-1', 2, ['out.txt', 'sub/o.csv'], ['in.txt': 'abc'])
        def script = new RemoteScript(layout).run(payload).build()

        when:
        def first = run(script)

        then:
        first.ok()
        Files.readString(root().resolve('runs/u-1.1/cmd')) == "echo 'hi'\n"
        Files.readString(root().resolve('runs/u-1.1/env')) == 'py-1\n'
        Files.readString(root().resolve('runs/u-1.1/cpus')) == '2\n'
        Files.readString(root().resolve('runs/u-1.1/outputs')) == 'out.txt\nsub/o.csv\n'
        Files.readString(root().resolve('runs/u-1.1/work/in.txt')) == 'data'
        Files.readString(root().resolve('runs/u-1.1/state')) == 'WAIT\n'
        Files.exists(root().resolve('queue/u-1.1'))

        when: 'the agent has taken it and it runs'
        Files.delete(root().resolve('queue/u-1.1'))
        Files.writeString(root().resolve('runs/u-1.1/state'), 'RUNNING\n')
        run(script)

        then: 'it is neither rewritten nor queued again'
        Files.readString(root().resolve('runs/u-1.1/state')) == 'RUNNING\n'
        !Files.exists(root().resolve('queue/u-1.1'))
    }

    def "a run cut off between its folder and its queue entry is queued when sent again"() {
        given:
        def script = new RemoteScript(layout).run(new RunPayload('u-2.1', 'true\n', env, 1, [], [:])).build()
        run(script)
        Files.delete(root().resolve('queue/u-2.1'))

        expect: 'a run waits for its environment, or is queued for cpus when it has none'
        Files.readString(root().resolve('runs/u-2.1/state')) == state

        when:
        run(script)

        then:
        Files.exists(root().resolve('queue/u-2.1'))

        where:
        env    | state
        'py-1' | 'WAIT\n'
        null   | 'QUEUE\n'
    }

    def "a script cut short in transit does nothing at all"() {
        given:
        def script = new RemoteScript(layout).run(new RunPayload('u-3.1', 'true\n', null, 1, [], [:])).build()

        when:
        def result = run(script.substring(0, script.length() - 20))

        then:
        !Files.exists(root().resolve('runs'))
    }

    def "an environment's spec folder is written once, with its stored files"() {
        given:
        Files.createDirectories(root().resolve('files'))
        Files.writeString(root().resolve('files/w1'), 'wheel')
        def env = new EnvPayload('py-1', [pypi: 'numpy\n', 'pip-args': '--no-index\n'], ['wheels/a.whl': 'w1'])

        when:
        run(new RemoteScript(layout).environment(env).build())

        then:
        Files.readString(root().resolve('envs/py-1/spec/pypi')) == 'numpy\n'
        Files.readString(root().resolve('envs/py-1/spec/wheels/a.whl')) == 'wheel'

        when:
        Files.writeString(root().resolve('envs/py-1/spec/pypi'), 'changed by hand\n')
        run(new RemoteScript(layout).environment(env).build())

        then:
        Files.readString(root().resolve('envs/py-1/spec/pypi')) == 'changed by hand\n'
    }

    def "the agent scripts are installed when their version differs"() {
        given:
        def scripts = AgentScripts.load()

        when:
        run(new RemoteScript(layout).installAgent(scripts).cpus(3).build())

        then:
        AgentScripts.NAMES.every { Files.readString(root().resolve("bin/$it")) == scripts.scripts()[it] }
        Files.readString(root().resolve('bin/version')) == scripts.version() + '\n'
        Files.readString(root().resolve('cpus')) == '3\n'
    }
}
