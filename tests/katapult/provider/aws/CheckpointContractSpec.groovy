package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

import katapult.LeftoverProcesses
import katapult.providers.ProviderFactory
import katapult.session.Event
import katapult.session.Session
import katapult.state.RunState
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The checkpoint contract against the fake EC2 and a stand-in metadata service: a job told of a spot interruption
 * saves its checkpoint_files on SIGTERM; Katapult fetches them before the instance goes and places them in the next
 * attempt's working folder, on another instance, with $KATAPULT_RESUMED set; an attempt that saved none starts clean
 * and its log says so.
 */
@Timeout(150)
@Tag('e2e')
class CheckpointContractSpec extends Specification {

    FakeEc2 fake = new FakeEc2()
    FakeMetadata metadata = new FakeMetadata()
    FakeHosts hosts

    @TempDir
    Path ws

    @Shared
    @TempDir
    Path home

    List<Event> events = new CopyOnWriteArrayList<>()

    def setup() {
        hosts = new FakeHosts(Files.createDirectories(ws.resolve('machines')), fake)
        AwsTestSupport.useFakeAws(ws, home)
        System.setProperty('katapult.aws.metadata', metadata.base())
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
        System.clearProperty('katapult.aws.metadata')
        hosts?.close()
        metadata.close()
        fake.close()
    }

    /**
     * Counts to 100 in tenths of a second from where its checkpoint says; on SIGTERM it saves its step (and which
     * attempt and whether it knew of the notice) into ckpt/state.txt, unless {@code save} is false.
     */
    Path config(boolean save) {
        String onTerm = save
                ? 'mkdir -p ckpt; echo "$i $KATAPULT_RUN_ID $(cat "$KATAPULT_PREEMPTED")" > ckpt/state.txt; exit 143'
                : 'exit 143'
        Files.writeString(ws.resolve('cfg.groovy'), """
            katapult {
                project 'ckpt'
                provider 'aws'
                autoStop false
                ${entry('spot', 'eco true')}
                ${entry('steady', '')}
                job {
                    name 'ck'
                    runCommand '''i=0
                        if [ -n "\${KATAPULT_RESUMED:-}" ] && [ -f ckpt/state.txt ]; then
                            read -r i from notice < ckpt/state.txt
                            echo "resumed at \$i from \$from (notice \$notice)" > resumed.txt
                        fi
                        trap '${onTerm}' TERM
                        while [ "\$i" -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
                        echo "done \$KATAPULT_RUN_ID" > out.txt
                        [ -f resumed.txt ] && cat resumed.txt >> out.txt
                        true'''
                    outputFiles 'out.txt'
                    checkpointFiles 'ckpt/state.txt'
                    repeat 4
                }
            }""")
    }

    String entry(String name, String more) {
        """
                instance {
                    name '${name}'
                    region 'us-east-1'
                    endpoint '${fake.endpoint}'
                    sshCidr '198.51.100.7/32'
                    type 't3.micro'
                    cpus 2
                    ${more}
                }"""
    }

    Session open(Path file) {
        Session.open(ws, file, { events << it }, { config, dir -> AwsProvider.create(config, dir, hosts) } as ProviderFactory)
    }

    /** Runs every run to its end while a notice comes to the spot instance once two runs are well on there. */
    List preemptAndFinish(Session session) {
        def result = [finished: null, error: null]
        def thread = Thread.start {
            try {
                result.finished = session.runAll(Duration.ofSeconds(120))
            } catch (Throwable t) {
                result.error = t
            }
        }
        long deadline = System.currentTimeMillis() + 40_000
        while (session.runs().count { it.state() == RunState.RUNNING && it.run().instance().startsWith('spot') } < 2) {
            assert System.currentTimeMillis() < deadline: 'the spot runs did not start in time'
            Thread.sleep(50)
        }
        Thread.sleep(1500)   // some steps done, so that a resumed attempt starts past 0
        def onSpot = session.runs().findAll { it.run().instance().startsWith('spot') }*.run()
        metadata.notice('2026-12-07T10:00:00Z')
        thread.join()
        assert result.error == null
        assert result.finished
        onSpot
    }

    String stderrOf(Session session, def run) {
        Files.readString(session.resultsFolder().resolve("ck/${run.repeat()}/stderr.log"))
    }

    def "a preempted run resumes on another instance from the checkpoint it saved on SIGTERM, its attempt unchanged"() {
        given:
        def session = open(config(true))

        when:
        def onSpot = preemptAndFinish(session)

        then: 'every run is DONE; the two moved ones on the on-demand instance, same attempt, one preemption'
        def after = session.runs()*.run()
        after.every { it.state() == RunState.DONE && it.fetched() }
        def moved = after.findAll { it.uid() in onSpot*.uid() }
        moved.size() == 2
        moved.every { it.attempt() == 1 && it.preemptions() == 1 && it.instance().startsWith('steady') }

        and: 'each found the checkpoint its preempted attempt wrote, past step 0, and knew of the notice then'
        moved.every { run ->
            String oldRid = onSpot.find { it.uid() == run.uid() }.rid()
            def lines = Files.readAllLines(session.resultsFolder().resolve("ck/${run.repeat()}/out.txt"))
            def resumed = lines[1] =~ /^resumed at (\d+) from (\S+) \(notice (\S+)\)$/
            lines[0] == "done ${run.rid()}" && resumed.matches() && (resumed[0][1] as int) > 0
                    && resumed[0][2] == oldRid && resumed[0][3] == '2026-12-07T10:00:00Z'
        }
        moved.every { stderrOf(session, it).contains('katapult: resumed from the checkpoint of the preempted attempt (ckpt/state.txt)') }

        and: 'the runs never preempted started from scratch, told nothing'
        after.findAll { !(it.uid() in onSpot*.uid()) }.every {
            Files.readAllLines(session.resultsFolder().resolve("ck/${it.repeat()}/out.txt")) == ["done ${it.rid()}".toString()]
        }

        and: 'the checkpoints were fetched into the project state, said so, and went once their runs were DONE'
        events.count { it instanceof Event.Step && it.message().contains('fetched its checkpoint') } == 2
        moved.every { !Files.exists(ws.resolve(".katapult/ckpt/checkpoints/${it.uid()}")) }
        Files.isDirectory(ws.resolve('.katapult/ckpt/checkpoints'))

        cleanup:
        session?.close()
    }

    def "an attempt that left no checkpoint: the next one starts clean, and its log says so"() {
        given:
        def session = open(config(false))

        when:
        def onSpot = preemptAndFinish(session)

        then:
        def moved = session.runs()*.run().findAll { it.uid() in onSpot*.uid() }
        moved.size() == 2
        moved.every { it.state() == RunState.DONE && it.attempt() == 1 && it.preemptions() == 1 }
        moved.every { Files.readAllLines(session.resultsFolder().resolve("ck/${it.repeat()}/out.txt")) == ["done ${it.rid()}".toString()] }
        moved.every { stderrOf(session, it).contains('katapult: no checkpoint of the preempted attempt could be kept; this attempt starts clean') }
        events.any { it instanceof Event.Warning && it.message().contains('left no checkpoint file') }

        cleanup:
        session?.close()
    }
}
