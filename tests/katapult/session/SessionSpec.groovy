package katapult.session

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.LeftoverProcesses
import katapult.state.RunState
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

@Timeout(120)
@Tag('e2e')
class SessionSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    List<Event> events = []

    Path config(String name, String body) {
        Files.writeString(ws.resolve(name), body)
    }

    Path counter() {
        ws.resolve('counter.txt')
    }

    List<String> executions() {
        Files.exists(counter()) ? Files.readAllLines(counter()) : []
    }

    Session open(Path file) {
        Session.open(ws, file, { events << it })
    }

    /** Agent loops running for this workspace. */
    List<Long> agentLoops() {
        LeftoverProcesses.under(ws).findAll { pid, cmd -> cmd.contains('agent.sh') && cmd.endsWith('\0loop') }
                .keySet().toList()
    }

    /** A job that records each execution, sleeps a little and writes an output. */
    String countingJob(String name, int repeat, String extra = '') {
        """
        job {
            name '$name'
            runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter()}; sleep 0.3; echo "$name \$KATAPULT_RUN_ID" > out.txt'
            outputFiles 'out.txt'
            repeat $repeat
            $extra
        }
        """
    }

    def "a finished run waits for a batch while others still run there; a fetch brings it home at once"() {
        given:
        def file = config('batch.groovy', """
        katapult {
            project 'batch'
            autoStop false
            instance { name 'box'; cpus 2 }
            job { name 'quick'; runCommand 'echo q > q.txt'; outputFiles 'q.txt' }
            job { name 'slow'; runCommand 'sleep 60' }
        }
        """)
        def session = open(file)
        session.start()
        session.deploy()
        session.submit()
        def quick = { session.runs().find { it.run().job() == 'quick' } }

        when: 'rounds of the session until quick is seen DONE (slow still runs)'
        def deadline = System.nanoTime() + 30_000_000_000L
        while (quick().state() != RunState.DONE && System.nanoTime() < deadline) {
            session.advance()
            Thread.sleep(100)
        }

        then: 'the round that saw it finish left it on the instance'
        quick().state() == RunState.DONE
        !quick().run().fetched()
        !Files.exists(ws.resolve('results/batch/quick/1/q.txt'))

        when:
        session.fetchFinished(null)

        then:
        quick().run().fetched()
        Files.readString(ws.resolve('results/batch/quick/1/q.txt')) == 'q\n'

        cleanup:
        session?.stop()
        session?.close()
    }

    def "a config runs to the end: every run DONE, every output and log fetched"() {
        given:
        Files.createDirectories(ws.resolve('src'))
        Files.writeString(ws.resolve('src/job.py'), '''
import sys, helper
data = open("in.txt").read().strip()
open("result.txt", "w").write(helper.shout(data) + " " + " ".join(sys.argv[1:]))
print("done with", data)
''')
        Files.writeString(ws.resolve('src/helper.py'), 'def shout(s):\n    return s.upper()\n')
        Files.writeString(ws.resolve('src/in.txt'), 'hello\n')
        def file = config('demo.groovy', """
        katapult {
            project 'demo'
            instance { name 'box'; cpus 2; number 2 }
            environment 'py', { command 'echo set up > marker.txt' }
            job {
                name 'py'
                envName 'py'
                runScript 'src/job.py "two words" \\'\$(not run)\\''
                uploadFiles 'src/helper.py'
                inputFiles 'src/in.txt'
                outputFiles 'result.txt'
                repeat 3
            }
            ${countingJob('cmd', 2)}
        }
        """)

        when:
        def session = open(file)
        def finished = session.runAll(Duration.ofSeconds(90))

        then:
        finished
        session.runs().size() == 5
        session.runs().every { it.state() == RunState.DONE && it.run().fetched() }
        (1..3).every { Files.readString(ws.resolve("results/demo/py/$it/result.txt")) == 'HELLO two words $(not run)' }
        (1..3).every { Files.readString(ws.resolve("results/demo/py/$it/stdout.log")) == 'done with hello\n' }
        (1..2).every { Files.exists(ws.resolve("results/demo/cmd/$it/out.txt")) }
        session.status().instances()*.name() == ['box-1', 'box-2']
        session.runs()*.run()*.instance().toSet() == ['box-1', 'box-2'] as Set
        events.any { it instanceof Event.Step && it.step() == 'deploy' }
        events.count { it instanceof Event.Fetched } == 5

        cleanup:
        session?.close()
    }

    def "a pip environment is built from a local wheel folder and its job imports the package"() {
        given:
        def wheels = Files.createDirectories(ws.resolve('wheels'))
        writeWheel(wheels.resolve('katapult_tiny-1.0-py3-none-any.whl'))
        def file = config('pip.groovy', """katapult { project 'pip'; instance { cpus 1 }
            environment 'tiny', { envPypi(['katapult_tiny']); envPypiFindLinks 'wheels'; envPypiNoIndex true }
            job { name 'use'; envName 'tiny'; runCommand 'python -c "import katapult_tiny; print(katapult_tiny.VALUE)" > v.txt'; outputFiles 'v.txt' }
        }""")

        when:
        def session = open(file)
        session.runAll(Duration.ofSeconds(90))

        then:
        session.runs()[0].state() == RunState.DONE
        Files.readString(ws.resolve('results/pip/use/1/v.txt')) == '42\n'

        cleanup:
        session?.close()
    }

    /** A pure-python wheel, made by hand: a wheel is a zip with its metadata. */
    static void writeWheel(Path target) {
        def files = [
                'katapult_tiny/__init__.py'                  : 'VALUE = 42\n',
                'katapult_tiny-1.0.dist-info/METADATA'       : 'Metadata-Version: 2.1\nName: katapult_tiny\nVersion: 1.0\n',
                'katapult_tiny-1.0.dist-info/WHEEL'          : 'Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
        ]
        def record = files.keySet().collect { "$it,," }.join('\n') + '\nkatapult_tiny-1.0.dist-info/RECORD,,\n'
        files['katapult_tiny-1.0.dist-info/RECORD'] = record
        new java.util.zip.ZipOutputStream(Files.newOutputStream(target)).withCloseable { zip ->
            files.each { name, text ->
                zip.putNextEntry(new java.util.zip.ZipEntry(name))
                zip.write(text.bytes)
                zip.closeEntry()
            }
        }
    }

    def "running the same config again runs nothing twice"() {
        given:
        def file = config('again.groovy', "katapult { project 'again'; instance { cpus 2 }\n${countingJob('c', 3)} }")
        def first = open(file)
        first.runAll(Duration.ofSeconds(60))
        first.close()

        when:
        def second = open(file)
        def finished = second.runAll(Duration.ofSeconds(60))

        then:
        finished
        executions().size() == 3
        second.runs().every { it.state() == RunState.DONE }

        cleanup:
        second?.close()
    }

    def "a project folder deleted under a live agent: that agent leaves, and the project made afresh runs each run once"() {
        given: 'a first session whose agent stays (autoStop false)'
        def file = config('fresh.groovy', "katapult { project 'fresh'; autoStop false; instance { name 'box'; cpus 4 }\n${countingJob('c', 1)} }")
        def first = open(file)
        first.runAll(Duration.ofSeconds(60))
        first.close()

        expect: 'its agent lives on'
        agentLoops().size() == 1

        when: 'its folders are deleted by hand'
        ws.resolve('.katapult').toFile().deleteDir()
        ws.resolve('results').toFile().deleteDir()
        Files.delete(counter())
        def deadline = System.nanoTime() + 10_000_000_000L
        while (!agentLoops().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100)
        }

        then: 'the agent leaves at its next pass (its lock file is gone)'
        agentLoops().isEmpty()

        when: 'the same project runs again, with more runs'
        def again = config('fresh.groovy', "katapult { project 'fresh'; autoStop false; instance { name 'box'; cpus 4 }\n${countingJob('c', 12)} }")
        def second = open(again)
        def finished = second.runAll(Duration.ofSeconds(60))

        then: 'every run executed once: the old agent did not start runs in the new folder'
        finished
        executions().size() == 12
        executions().toSet().size() == 12

        cleanup:
        second?.close()
    }

    def "a changed job is a new job; the unchanged one is kept"() {
        given:
        def before = "katapult { project 'change'; instance { cpus 2 }\n${countingJob('keep', 1)}\n${countingJob('edit', 1)} }"
        def first = open(config('change.groovy', before))
        first.runAll(Duration.ofSeconds(60))
        first.close()

        when:
        def after = before.replace("name 'edit'\n            runCommand 'echo", "name 'edit'\n            runCommand 'true; echo")
        def second = open(config('change.groovy', after))
        second.runAll(Duration.ofSeconds(60))

        then:
        after != before
        executions().size() == 3

        cleanup:
        second?.close()
    }

    def "runs deleted from the results are fetched again, not run again"() {
        given:
        def file = config('refetch.groovy', "katapult { project 'refetch'; autoStop false; instance { cpus 1 }\n${countingJob('c', 1)} }")
        def first = open(file)
        first.runAll(Duration.ofSeconds(60))
        first.close()
        ws.resolve('results/refetch/c/1/out.txt').toFile().delete()

        when:
        def second = open(file)
        second.runAll(Duration.ofSeconds(60))

        then:
        Files.exists(ws.resolve('results/refetch/c/1/out.txt'))
        executions().size() == 1

        cleanup:
        second?.close()
    }

    def "a result lost on the instance and locally ends the wait: the run is ABORTED with the reason"() {
        given:
        def file = config('vanish.groovy', "katapult { project 'vanish'; autoStop false; instance { name 'box'; cpus 1 }\n${countingJob('c', 1)} }")
        def first = open(file)
        first.runAll(Duration.ofSeconds(60))
        def rid = first.runs()[0].run().rid()
        first.close()
        ws.resolve('results/vanish/c/1/out.txt').toFile().delete()
        ws.resolve(".katapult/vanish/local/box/.katapult/vanish/instances/box/runs/$rid/work/out.txt").toFile().delete()

        when:
        def second = open(file)
        def finished = second.waitAll(Duration.ofSeconds(30))
        def run = second.runs()[0].run()

        then:
        finished
        run.state() == RunState.ABORTED
        run.reason().startsWith("its results could not be fetched from box: output 'out.txt' was not found")
        executions().size() == 1
        events.count { it instanceof Event.Warning && it.message().startsWith('cannot fetch c/1 yet') } == 2

        cleanup:
        second?.close()
    }

    def "a failing run is ABORTED with its exit code and the tail of its stderr"() {
        given:
        def file = config('fail.groovy', """katapult { project 'fail'; instance { cpus 1 }
            job { name 'bad'; runCommand 'echo step one; echo "boom: no such thing" >&2; exit 3' }
            job { name 'lazy'; runCommand 'true'; outputFiles 'never.txt' }
        }""")

        when:
        def session = open(file)
        session.runAll(Duration.ofSeconds(60))
        def bad = session.runs().find { it.run().job() == 'bad' }
        def lazy = session.runs().find { it.run().job() == 'lazy' }

        then:
        bad.state() == RunState.ABORTED
        bad.run().exit() == 3
        bad.run().reason() == 'exit code 3'
        bad.stderrTail().contains('boom: no such thing')
        session.log('bad', false) == 'step one\n'
        lazy.state() == RunState.ABORTED
        lazy.run().reason().contains('never.txt')

        cleanup:
        session?.close()
    }

    def "an environment that fails to set up aborts its runs with the reason and is reported"() {
        given:
        def file = config('envfail.groovy', """katapult { project 'envfail'; instance { cpus 1 }
            environment 'broken', { command 'echo cannot install >&2; exit 5' }
            job { name 'needs'; envName 'broken'; runCommand 'echo should not run > x' }
        }""")

        when:
        def session = open(file)
        session.runAll(Duration.ofSeconds(60))
        def run = session.runs()[0]

        then:
        run.state() == RunState.ABORTED
        run.run().reason().startsWith('environment broken-')
        run.run().reason().contains('failed')
        events.any { it instanceof Event.Warning && it.message().contains('cannot install') }

        cleanup:
        session?.close()
    }

    def "runs lost with their instance are run again on its replacement"() {
        given:
        def file = config('lost.groovy', """katapult { project 'lost'; instance { name 'box'; cpus 2 }
            job { name 'slow'; runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter()}; sleep 2; echo ok > out.txt'; outputFiles 'out.txt'; repeat 2 }
        }""")
        def session = open(file)
        session.start()
        session.deploy()
        session.submit()
        def deadline = System.currentTimeMillis() + 20_000
        while (executions().size() < 2 && System.currentTimeMillis() < deadline) {
            sleep 100
        }

        when: 'the sandbox disappears while both runs are RUNNING'
        def sandbox = ws.resolve('.katapult/lost/local/box')
        session.stop()
        sandbox.toFile().deleteDir()
        def finished = session.waitAll(Duration.ofSeconds(60))

        then:
        finished
        session.runs().every { it.state() == RunState.DONE && it.run().attempt() == 2 }
        session.runs().every { Files.exists(ws.resolve("results/lost/slow/${it.run().repeat()}/out.txt")) }

        cleanup:
        session?.close()
    }

    def "the cpu budget of an instance is never exceeded"() {
        given:
        def log = ws.resolve('spans.txt')
        def file = config('budget.groovy', """katapult { project 'budget'; instance { cpus 2 }
            job { name 'span'; runCommand 'echo "start \$(date +%s%N)" >> ${log}; sleep 0.5; echo "end \$(date +%s%N)" >> ${log}'; repeat 5 }
        }""")

        when:
        def session = open(file)
        session.runAll(Duration.ofSeconds(60))
        int running = 0, most = 0
        Files.readAllLines(log).collect { it.split(' ') }.sort { it[1] as long }.each {
            running += it[0] == 'start' ? 1 : -1
            most = Math.max(most, running)
        }

        then:
        session.runs().every { it.state() == RunState.DONE }
        most == 2

        cleanup:
        session?.close()
    }

    def "jobs added to a project run with the next wait"() {
        given:
        def file = config('base.groovy', "katapult { project 'grow'; instance { cpus 2 }\n${countingJob('first', 1)} }")
        def extra = config('more.groovy', "katapult {\n${countingJob('second', 2)} }")
        def session = open(file)
        session.runAll(Duration.ofSeconds(60))

        when:
        session.add(extra)
        session.start()
        session.deploy()
        session.submit()
        session.waitAll(Duration.ofSeconds(60))

        then:
        session.runs()*.run()*.job() == ['first', 'second', 'second']
        session.runs().every { it.state() == RunState.DONE }
        executions().size() == 3

        when: 'the project is resumed later, the added jobs are still part of it'
        session.close()
        session = Session.resume(ws, 'grow', { })

        then:
        session.runs().size() == 3

        cleanup:
        session?.close()
    }

    def "a job that waits for others starts after them and reads their outputs"() {
        given:
        def file = config('pipe.groovy', """katapult { project 'pipe'; instance { cpus 2 }
            job { name 'make'; runCommand 'sleep 0.5; echo "part \$KATAPULT_RUN_ID" > part.txt'; outputFiles 'part.txt'; repeat 2 }
            job { name 'single'; runCommand 'echo one > one.txt'; outputFiles 'one.txt' }
            job { name 'join'; after(['make', 'single']); runCommand 'cat make/1/part.txt make/2/part.txt one.txt > all.txt'; outputFiles 'all.txt' }
        }""")

        when:
        def session = open(file)
        session.runAll(Duration.ofSeconds(60))
        def byJob = session.runs().groupBy { it.run().job() }

        then:
        session.runs().every { it.state() == RunState.DONE }
        Files.readAllLines(ws.resolve('results/pipe/join/1/all.txt')).size() == 3
        Files.readString(ws.resolve('results/pipe/join/1/all.txt')).contains('one')
        byJob.join[0].run().start() >= byJob.make*.run()*.end.max()

        cleanup:
        session?.close()
    }

    def "a job that waits for a failed run is ABORTED without running"() {
        given:
        def file = config('broken-pipe.groovy', """katapult { project 'bp'; instance { cpus 2 }
            job { name 'first'; runCommand 'exit 1'; outputFiles 'x.txt' }
            job { name 'second'; after 'first'; runCommand 'echo ran >> ${counter()}' }
        }""")

        when:
        def session = open(file)
        def finished = session.runAll(Duration.ofSeconds(60))
        def second = session.runs().find { it.run().job() == 'second' }

        then:
        finished
        second.state() == RunState.ABORTED
        second.run().reason() == 'waited for first/1, which was ABORTED'
        executions().isEmpty()

        cleanup:
        session?.close()
    }

    def "print_deploy waits for the environments and shows their set-up logs"() {
        given:
        def file = config('show.groovy', """katapult { project 'show'; printDeploy true; instance { cpus 1 }
            environment 'e', { command 'echo "compiling the world"' }
            job { runCommand 'true' }
        }""")

        when:
        def session = open(file)
        session.start()
        session.deploy()
        def steps = events.findAll { it instanceof Event.Step && it.step() == 'deploy' }*.message()

        then:
        steps.any { it.contains('READY') }
        steps.any { it.contains('compiling the world') }

        cleanup:
        session?.stop()
        session?.close()
    }

    def "down removes the sandboxes and keeps the results"() {
        given:
        def session = open(config('gone.groovy', "katapult { project 'gone'; autoStop false; instance { cpus 1 }\n${countingJob('c', 1)} }"))
        session.runAll(Duration.ofSeconds(60))

        when:
        session.down()

        then:
        !Files.exists(ws.resolve('.katapult/gone/local/local-1'))
        Files.exists(ws.resolve('results/gone/c/1/out.txt'))
        session.status().instances().isEmpty()

        cleanup:
        session?.close()
    }
}
