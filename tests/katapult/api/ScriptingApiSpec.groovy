package katapult.api

import java.nio.file.Files
import java.nio.file.Path

import katapult.Katapult
import katapult.LeftoverProcesses
import katapult.config.ConfigException
import katapult.session.Event
import katapult.session.Session
import katapult.session.SessionException
import katapult.state.InstanceState
import katapult.state.RunState
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** The scripting API: Katapult.open → Session; up, submit, await, output, awaitAll; events, never prints. */
@Timeout(120)
@Tag('e2e')
class ScriptingApiSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    List<Event> events = []

    Path base(String project = 'api') {
        Files.writeString(ws.resolve('base.groovy'), "katapult { project '$project'; autoStop false; instance { name 'box'; cpus 4 } }")
    }

    Session open(Path config) {
        Katapult.open(ws, config, { events << it })
    }

    def "a closure in the job form is submitted to a running session, awaited and its output read"() {
        given:
        def session = open(base())
        session.up()

        when:
        def job = session.submit { name 'hello'; runCommand 'echo "hi $KATAPULT_RUN_ID"; echo 42 > answer.txt'; outputFiles 'answer.txt' }
        job.await()

        then:
        job.state() == RunState.DONE
        job.state == RunState.DONE
        job.stdout().startsWith('hi ')
        Files.readString(job.output('answer.txt')) == '42\n'
        job.output('answer.txt') == ws.resolve('results/api/hello/1/answer.txt')
        events.any { it instanceof Event.Fetched }

        cleanup:
        session?.close()
    }

    def "a job spec built in code, and one given as a map, run with one handle per repeat"() {
        given:
        def session = open(base())

        when:
        def built = session.submit(Katapult.job('built').command('echo $KATAPULT_RUN_ID > id.txt').outputs('id.txt').repeat(3))
        def mapped = session.submit(name: 'mapped', run_command: 'echo m > m.txt', output_files: 'm.txt')
        def finished = session.awaitAll()

        then:
        finished
        built.runs()*.repeat() == [1, 2, 3]
        built.runs().every { it.state() == RunState.DONE }
        built.outputs('id.txt').collect { Files.readString(it).trim() }.toSet().size() == 3
        Files.readString(mapped.output('m.txt')) == 'm\n'

        when: 'a job with several runs has no single state'
        built.state()

        then:
        def e = thrown(SessionException)
        e.message.contains('run(n)')

        cleanup:
        session?.close()
    }

    def "a job built with maxRetries goes again after a failure; the counters show it"() {
        given:
        def session = open(base())
        def once = ws.resolve('failed-once')

        when: 'it fails the first time only'
        def job = session.submit(Katapult.job('flaky').command("test -f '${once}' || { touch '${once}'; exit 3; }; echo ok > o.txt")
                .outputs('o.txt').maxRetries(1).maxPreemptions(4))
        job.await()
        def run = session.runs().find { it.run().job() == 'flaky' }.run()

        then:
        job.state() == RunState.DONE
        Files.readString(job.output('o.txt')) == 'ok\n'
        run.attempt() == 2
        run.retries() == 1
        session.config().jobs().find { it.name() == 'flaky' }.maxPreemptions() == 4

        cleanup:
        session?.close()
    }

    def "dependent jobs: later steps start after earlier ones and read their outputs"() {
        given:
        def session = open(base())

        when:
        def make = session.submit { name 'make'; runCommand 'sleep 0.3; echo "part $KATAPULT_RUN_ID" > part.txt'; outputFiles 'part.txt'; repeat 2 }
        def count = session.submit(Katapult.job('count').command('cat make/*/part.txt | wc -l > n.txt').outputs('n.txt').after('make'))
        def report = session.submit { name 'report'; after 'count'; runCommand 'echo "lines: $(cat n.txt)" > report.txt'; outputFiles 'report.txt' }
        report.await()

        then: 'awaiting the last step drove the ones before it'
        make.runs().every { it.state() == RunState.DONE }
        Files.readString(count.output('n.txt')).trim() == '2'
        Files.readString(report.output('report.txt')) == 'lines: 2\n'
        report.runs()[0].run().start() >= count.runs()[0].run().end()

        cleanup:
        session?.close()
    }

    def "submitted jobs stay part of the project, and submitting the same job again runs nothing twice"() {
        given:
        def counter = ws.resolve('counter.txt')
        def session = open(base())
        def job = { -> session.submit { name 'once'; runCommand "echo x >> $counter; echo y > y.txt"; outputFiles 'y.txt' } }
        job().await()
        session.close()

        when: 'the script runs again'
        session = open(base())
        def again = job()
        again.await()

        then:
        session.runs()*.run()*.job() == ['once']
        Files.readAllLines(counter).size() == 1
        again.state() == RunState.DONE

        when: 'the CLI resumes the project: the submitted job is there'
        session.close()
        session = Session.resume(ws, 'api', { })

        then:
        session.job('once').done()

        cleanup:
        session?.close()
    }

    def "a wrong job is refused with every problem, before anything is recorded"() {
        given:
        def session = open(base())

        when:
        session.submit { name 'bad'; runComand 'true'; after 'nothing' }

        then:
        def e = thrown(ConfigException)
        e.message.contains("did you mean 'runCommand'")
        e.message.contains('nothing')
        session.runs().isEmpty()
        !Files.exists(ws.resolve('.katapult/api/added'))

        when: 'the same name with another command'
        session.submit { name 'twice'; runCommand 'true' }
        session.submit { name 'twice'; runCommand 'false' }

        then:
        def dup = thrown(ConfigException)
        dup.message.contains("'twice'")

        cleanup:
        session?.close()
    }

    def "nothing in the API prints: progress reaches the caller as events only"() {
        given:
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        def realOut = System.out
        def realErr = System.err
        System.setOut(new PrintStream(out, true))
        System.setErr(new PrintStream(err, true))

        when:
        try {
            def session = open(base())
            try {
                session.up()
                session.deploy()
                def first = session.submit { name 'a'; runCommand 'echo a > a.txt; echo noise >&2'; outputFiles 'a.txt' }
                session.submit { name 'b'; after 'a'; runCommand 'cat a.txt > b.txt'; outputFiles 'b.txt' }
                session.submit { name 'fails'; runCommand 'exit 3' }
                session.awaitAll()
                first.stdout()
                session.status()
            } finally {
                session.close()
            }
        } finally {
            System.setOut(realOut)
            System.setErr(realErr)
        }

        then:
        out.size() == 0
        err.size() == 0
        events.count { it instanceof Event.Fetched } == 3
        events.any { it instanceof Event.Step && it.step() == 'submit' }
        events.any { it instanceof Event.RunChanged && it.run().state() == RunState.ABORTED }
    }

    def "awaitAll() stops the instances once every run is finished and fetched (auto_stop), and says so"() {
        given:
        def config = Files.writeString(ws.resolve('stops.groovy'), "katapult { project 'stops'; instance { name 'box'; cpus 2 } }")
        def session = open(config)

        when:
        def job = session.submit(name: 'one', run_command: 'echo 1 > one.txt', output_files: 'one.txt')
        def finished = session.awaitAll()

        then:
        finished
        Files.readString(job.output('one.txt')) == '1\n'
        session.status().instances()*.state() == [InstanceState.STOPPED]
        events.any { it instanceof Event.Step && it.message().startsWith('auto_stop: every run is finished and fetched, stopping box') }

        cleanup:
        session?.close()
    }
}
