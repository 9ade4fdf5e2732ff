package katapult.remote

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.LeftoverProcesses
import katapult.transport.LocalShell
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir

@Tag('e2e')
class RemoteScriptSpec extends Specification {

    @TempDir
    Path home

    def cleanup() {
        LeftoverProcesses.kill(home)
    }

    def layout = new RemoteLayout('proj').on('box')

    def run(String script) {
        new LocalShell(home, 'box').exec('bash -s', script, Duration.ofSeconds(30))
    }

    /** Whether {@code condition} holds within 10 s. */
    static boolean eventually(Closure<Boolean> condition) {
        def deadline = System.currentTimeMillis() + 10_000
        while (System.currentTimeMillis() < deadline) {
            try {
                if (condition()) {
                    return true
                }
            } catch (IOException ignored) {
                // not written yet
            }
            sleep 20
        }
        false
    }

    Path root() {
        home.resolve('.katapult/proj/instances/box')
    }

    /** The uploads, shared by the instances of the project that share a home. */
    Path files() {
        home.resolve('.katapult/proj/files')
    }

    def "a run is written with its files and queued; sending it again changes nothing"() {
        given:
        Files.createDirectories(files())
        Files.writeString(files().resolve('abc'), 'data')
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

    def "a shared file is a link to the read-only stored file; a copied one is the run's own, writable"() {
        given:
        Files.createDirectories(files())
        Path stored = Files.writeString(files().resolve('abc'), 'data')
        Files.setPosixFilePermissions(stored, java.nio.file.attribute.PosixFilePermissions.fromString('r--r--r--'))
        def payload = new RunPayload('u-5.1', 'true\n', null, 1, [], ['big.bin': 'abc', 'sub/in.txt': 'abc'],
                ['big.bin'] as Set)

        when:
        def result = run(new RemoteScript(layout).run(payload).build())
        Path work = root().resolve('runs/u-5.1/work')

        then:
        result.ok()
        Files.isSameFile(work.resolve('big.bin'), stored)
        Files.getPosixFilePermissions(work.resolve('big.bin')).every { !it.name().endsWith('WRITE') }

        and: 'the copy is made when the run starts: a link to the stored file until then'
        Files.isSameFile(work.resolve('sub/in.txt'), stored)
        Files.readString(root().resolve('runs/u-5.1/copies')) == 'sub/in.txt\u0000'

        when:
        def started = new ProcessBuilder('bash', ScriptsFixture.TEMPLATES.resolve('run.sh').toString(),
                root().resolve('runs/u-5.1').toString()).redirectErrorStream(true).start()
        started.waitFor()

        then:
        Files.readString(root().resolve('runs/u-5.1/state')) == 'DONE\n'
        !Files.exists(root().resolve('runs/u-5.1/copies'))
        Files.isSameFile(work.resolve('big.bin'), stored)
        !Files.isSameFile(work.resolve('sub/in.txt'), stored)
        Files.readString(work.resolve('sub/in.txt')) == 'data'
        Files.getPosixFilePermissions(work.resolve('sub/in.txt')).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)
        Files.readString(root().resolve('runs/u-5.1/shared')) == 'big.bin\u0000'
    }

    def "a small private file is copied when the run is written: nothing left for run.sh to copy, no link kept"() {
        given:
        Files.createDirectories(files())
        Path stored = Files.writeString(files().resolve('abc'), 'data')
        Files.setPosixFilePermissions(stored, java.nio.file.attribute.PosixFilePermissions.fromString('r--r--r--'))
        def payload = new RunPayload('u-6.1', 'true\n', null, 1, [], ['in.txt': 'abc', 'big.bin': 'abc'], [] as Set,
                ['in.txt'] as Set)

        when:
        def result = run(new RemoteScript(layout).run(payload).build())
        Path work = root().resolve('runs/u-6.1/work')

        then: 'the small one is the run\'s own writable copy already; the other waits for the start, as a link'
        result.ok()
        !Files.isSameFile(work.resolve('in.txt'), stored)
        Files.readString(work.resolve('in.txt')) == 'data'
        Files.getPosixFilePermissions(work.resolve('in.txt')).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)
        Files.isSameFile(work.resolve('big.bin'), stored)
        Files.readString(root().resolve('runs/u-6.1/copies')) == 'big.bin\u0000'
        !Files.exists(root().resolve('runs/u-6.1/shared'))
    }

    def "the runs of one step are written together, a few processes for a thousand runs; a killed step's staging folder goes"() {
        given: 'programs that note each call before doing their work'
        Files.createDirectories(files())
        Files.writeString(files().resolve('abc'), 'data')
        Path calls = home.resolve('calls.log')
        Path bin = Files.createDirectories(home.resolve('noting-bin'))
        ['mkdir', 'mv', 'tee', 'cp', 'ln', 'rm', 'rmdir', 'cat'].each { name ->
            String real = ['/usr/bin', '/bin'].collect { "$it/$name" }.find { new File(it).canExecute() }
            Path wrapper = bin.resolve(name)
            Files.writeString(wrapper, "#!/bin/bash\necho $name >>'$calls'\nexec '$real' \"\$@\"\n")
            wrapper.toFile().setExecutable(true)
        }
        and: 'a staging folder left by a step killed midway, and one of a step still going'
        Path stale = Files.createDirectories(root().resolve('stage.4194000/u-9.1/work'))
        Path going = Files.createDirectories(root().resolve("stage.${ProcessHandle.current().pid()}"))
        def script = new RemoteScript(layout)
        (1..1001).each { script.run(new RunPayload("u-9.$it", "echo $it\n", null, 1, ['o.txt'], ['sub/in.txt': 'abc'],
                [] as Set, ['sub/in.txt'] as Set)) }

        when:
        def result = run("export PATH='$bin':\"\$PATH\"\n" + script.build())

        then: 'every run is whole and queued'
        result.ok()
        (1..1001).every { Files.readString(root().resolve("runs/u-9.$it/cmd")) == "echo $it\n" }
        (1..1001).every { Files.readString(root().resolve("runs/u-9.$it/work/sub/in.txt")) == 'data' }
        Files.readString(root().resolve('runs/u-9.1001/state')) == 'QUEUE\n'
        Files.list(root().resolve('queue')).withCloseable { it.count() } == 1001
        and: 'one mkdir, one tee and one mv for them all, the staging folder removed'
        Files.readAllLines(calls).countBy { it } == [mkdir: 2, rm: 1, tee: 1, mv: 1, rmdir: 1]
        !Files.exists(stale.parent.parent)
        Files.isDirectory(going)
        Files.list(root()).withCloseable { s -> s.filter { it.fileName.toString().startsWith('stage.') }.count() } == 1
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

    def "names and texts that a shell would read are passed byte for byte"() {
        given:
        Files.createDirectories(files())
        Files.writeString(files().resolve('abc'), 'data')
        def hostile = "it's \$(touch pwned) `touch pwned2` \"q\" \\ *\n-x"
        def payload = new RunPayload('u-4.1', hostile + '\n', null, 1, [hostile], [('sub dir/' + hostile): 'abc'])
        def env = new EnvPayload('py-2', [pypi: hostile], [:])

        when:
        def result = run(new RemoteScript(layout).run(payload).environment(env).build())

        then:
        result.ok()
        Files.readString(root().resolve('runs/u-4.1/cmd')) == hostile + '\n'
        Files.readString(root().resolve('runs/u-4.1/outputs')) == hostile + '\n'
        Files.readString(root().resolve('runs/u-4.1/work/sub dir/' + hostile)) == 'data'
        Files.readString(root().resolve('envs/py-2/spec/pypi')) == hostile
        !Files.exists(home.resolve('pwned')) && !Files.exists(home.resolve('pwned2'))
        !Files.exists(root().resolve('pwned')) && !Files.exists(root().resolve('pwned2'))
    }

    def "the agent starts with its settings in its environment"() {
        given:
        def scripts = AgentScripts.load()
        def script = new RemoteScript(layout).installAgent(scripts)
                .startAgent([KATAPULT_AGENT_IDLE: '1', KATAPULT_AGENT_TICK: "0.05'; touch pwned; '"]).build()

        when:
        def result = run(script)

        then:
        result.ok()
        result.stdout() == 'started\n'
        !Files.exists(home.resolve('pwned'))
        eventually { Files.readString(root().resolve('agent.log')).contains('idle 1s') }
    }

    def "an environment's spec folder is written once, with its stored files"() {
        given:
        Files.createDirectories(files())
        Files.writeString(files().resolve('w1'), 'wheel')
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

    def "the install writes the lifecycle file in whole seconds, idle stop off as 0, and every step the heartbeat"() {
        when:
        run(new RemoteScript(layout).lifecycle(new AgentLifecycle(Protocol.Shutdown.TERMINATE, idleStop,
                Duration.ofMillis(1500), Duration.ofHours(24))).build())

        then:
        Files.readString(root().resolve('lifecycle')) ==
                "shutdown terminate\nidle_stop $seconds\nheartbeat_timeout 2\nabandon_after 86400\n"
        Math.abs((Files.readString(root().resolve('heartbeat')).trim() as long) - System.currentTimeMillis().intdiv(1000)) <= 2

        where:
        idleStop                            || seconds
        Duration.ofMinutes(10)    || 600
        Duration.ZERO             || 0
    }

    def "two installs of the agent into one folder at once both succeed (hosts sharing one home)"() {
        given: 'renames are slow, as on NFS, so that the two installs overlap'
        def scripts = AgentScripts.load()
        def slow = Files.createDirectories(home.resolve('slow'))
        Files.writeString(slow.resolve('mv'), '''#!/bin/bash
case "$*" in */bin/*.tmp*) sleep 0.2 ;; esac
exec ''' + ['/usr/bin/mv', '/bin/mv'].find { Files.isExecutable(Path.of(it)) } + ''' "$@"
''')
        slow.resolve('mv').toFile().setExecutable(true)
        def script = "PATH='$slow':\$PATH\n" + new RemoteScript(layout).installAgent(scripts).build()

        when:
        def results = [null, null]
        def threads = (0..1).collect { i -> Thread.start { results[i] = run(script) } }
        threads*.join()

        then:
        results.every { it.ok() }
        AgentScripts.NAMES.every { Files.readString(root().resolve("bin/$it")) == scripts.scripts()[it] }
        Files.list(root().resolve('bin')).withCloseable { s -> s.noneMatch { it.fileName.toString().endsWith('.tmp') } }
    }

    def "runs and queue entries an older Katapult left at the project root move into the instance's folder"() {
        given: 'the layout before per-instance folders: everything in ~/.katapult/proj'
        def old = home.resolve('.katapult/proj')
        Files.createDirectories(old.resolve('runs/u-1.1/work'))
        Files.writeString(old.resolve('runs/u-1.1/state'), 'DONE\n')
        Files.writeString(old.resolve('runs/u-1.1/work/out.txt'), 'result\n')
        Files.createDirectories(old.resolve('runs/u-2.1'))
        Files.writeString(old.resolve('runs/u-2.1/state'), 'QUEUE\n')
        Files.createDirectories(old.resolve('queue'))
        Files.writeString(old.resolve('queue/u-2.1'), '')
        Files.createDirectories(old.resolve('bin'))
        Files.writeString(old.resolve('bin/version'), 'older\n')
        Files.createDirectories(files())
        Files.writeString(files().resolve('abc'), 'data')

        when:
        def result = run(new RemoteScript(layout).adoptOlderLayout().installAgent(AgentScripts.load()).build())

        then:
        result.ok()
        Files.readString(root().resolve('runs/u-1.1/work/out.txt')) == 'result\n'
        Files.readString(root().resolve('runs/u-2.1/state')) == 'QUEUE\n'
        Files.exists(root().resolve('queue/u-2.1'))
        !Files.exists(old.resolve('runs'))
        !Files.exists(old.resolve('bin'))
        Files.readString(files().resolve('abc')) == 'data'
        Files.exists(root().resolve('bin/agent.sh'))
    }

    def "in a workdir the user chose, a runs/ folder of theirs is never adopted, and the instance's folder is there"() {
        given:
        def chosen = home.resolve('scratch/k')
        Files.createDirectories(chosen.resolve('runs/mine'))
        def there = new RemoteLayout('proj', [box: chosen.toString()]).on('box')

        when:
        def result = run(new RemoteScript(there).adoptOlderLayout().installAgent(AgentScripts.load()).build())

        then:
        result.ok()
        Files.isDirectory(chosen.resolve('runs/mine'))
        Files.exists(chosen.resolve('instances/box/bin/agent.sh'))
        Files.isDirectory(chosen.resolve('files'))
        !Files.exists(home.resolve('.katapult'))
    }

    def "while the older Katapult's agent still runs, nothing moves and the step says what to do"() {
        given:
        def old = home.resolve('.katapult/proj')
        Files.createDirectories(old.resolve('runs/u-1.1'))
        Files.writeString(old.resolve('runs/u-1.1/state'), 'RUNNING\n')
        def holder = new ProcessBuilder('flock', old.resolve('agent.lock').toString(), 'sleep', '20').start()
        def deadline = System.currentTimeMillis() + 5000
        while (new ProcessBuilder('flock', '-n', old.resolve('agent.lock').toString(), 'true').start().waitFor() == 0
                && System.currentTimeMillis() < deadline) {
            sleep 20
        }

        when:
        def result = run(new RemoteScript(layout).adoptOlderLayout().installAgent(AgentScripts.load()).build())

        then:
        !result.ok()
        result.stderr().contains('~/.katapult/proj was made by an older Katapult whose agent still runs there')
        Files.readString(old.resolve('runs/u-1.1/state')) == 'RUNNING\n'
        !Files.exists(root().resolve('runs/u-1.1'))

        cleanup:
        holder?.destroyForcibly()
    }
}
