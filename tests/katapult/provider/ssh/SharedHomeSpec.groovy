package katapult.provider.ssh

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

import katapult.LeftoverProcesses
import katapult.session.Event
import katapult.session.Session
import katapult.state.RunState
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * SSH hosts whose login user has one home shared by every host (cluster nodes that mount one NFS home): here three
 * SSH servers on this machine with one HOME, so they also share the machine id and the boot id.
 */
@Timeout(180)
@Tag('e2e')
class SharedHomeSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    @AutoCleanup
    SshTestHosts hosts

    List<Event> events = new CopyOnWriteArrayList<>()

    def setup() {
        hosts = new SshTestHosts(ws.resolve('hosts'))
    }

    def "three SSH hosts sharing one home run 12 jobs, each exactly once, and every result comes back"() {
        given:
        def three = hosts.startSharingHome(3)
        def home = three[0].home
        // a home on NFS: the agent's install renames are slow, so the three first installs overlap
        def slow = Files.createDirectories(ws.resolve('slow-nfs'))
        Files.writeString(slow.resolve('mv'), '''#!/bin/bash
case "$*" in */bin/*.tmp*) sleep 0.3 ;; esac
exec ''' + ['/usr/bin/mv', '/bin/mv'].find { Files.isExecutable(Path.of(it)) } + ''' "$@"
''')
        slow.resolve('mv').toFile().setExecutable(true)
        three.each { it.pathPrefix = slow }
        Files.writeString(ws.resolve('in.txt'), 'shared input\n')
        def file = ws.resolve('shared.groovy')
        Files.writeString(file, """
        katapult {
            project 'shared'
            provider 'ssh'
            ${hosts.instanceBlock(three[0], 'a', 2)}
            ${hosts.instanceBlock(three[1], 'b', 2)}
            ${hosts.instanceBlock(three[2], 'c', 2)}
            job {
                name 'work'
                runCommand 'echo "\$KATAPULT_RUN_ID" >> "\$HOME/counter.txt"; sleep 0.3; cat in.txt > out.txt; echo "\$KATAPULT_RUN_ID" >> out.txt'
                inputFiles '${ws.resolve('in.txt')}'
                outputFiles 'out.txt'
                repeat 12
            }
        }
        """)

        when:
        def session = Session.open(ws, file, { events << it })
        def finished = session.runAll(Duration.ofSeconds(120))
        def runs = session.runs()
        session.close()
        def executions = Files.exists(home.resolve('counter.txt')) ? Files.readAllLines(home.resolve('counter.txt')) : []

        then: 'every run ran once, on every host'
        finished
        runs.size() == 12
        runs.every { it.state() == RunState.DONE }
        executions.size() == 12
        executions.toSet() == runs*.run()*.rid().toSet()
        runs*.run()*.instance().toSet() == ['a', 'b', 'c'] as Set

        and: 'every result was fetched'
        runs.every { r ->
            Files.readString(ws.resolve("results/shared/work/${r.run().repeat()}/out.txt")) ==
                    "shared input\n${r.run().rid()}\n"
        }

        and: 'each host keeps its own agent and runs; the uploads are shared'
        ['a', 'b', 'c'].every { name ->
            def root = home.resolve(".katapult/shared/instances/$name")
            Files.isRegularFile(root.resolve('bin/agent.sh')) &&
                    runs.findAll { it.run().instance() == name }.every { Files.isDirectory(root.resolve("runs/${it.run().rid()}")) }
        }
        Files.list(home.resolve('.katapult/shared/files')).withCloseable { it.count() } == 1
    }

    def "a project left by an older Katapult (one folder per project) is resumed: its finished run is fetched, not run again"() {
        given: 'a run submitted, then finished on the host while no Katapult watched'
        def host = hosts.start()
        def counter = ws.resolve('counter.txt')
        def file = ws.resolve('older.groovy')
        Files.writeString(file, """
        katapult {
            project 'older'
            provider 'ssh'
            ${hosts.instanceBlock(host, 'h', 1)}
            job { name 'w'; runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter}; echo done > out.txt'; outputFiles 'out.txt' }
        }
        """)
        def first = Session.open(ws, file, { events << it })
        first.start()
        first.assign()
        first.deploy()
        first.submit()
        def rid = first.runs()[0].run().rid()
        first.close()
        def project = host.home.resolve('.katapult/older')
        def mine = project.resolve('instances/h')
        def deadline = System.currentTimeMillis() + 30_000
        while (!(Files.exists(mine.resolve("runs/$rid/state")) && Files.readString(mine.resolve("runs/$rid/state")) == 'DONE\n')
                && System.currentTimeMillis() < deadline) {
            sleep 50
        }

        and: 'its folders laid out as an older Katapult kept them: runs/, queue/, bin/ at the project root'
        def stop = new ProcessBuilder('bash', mine.resolve('bin/agent.sh').toString(), mine.toString(), 'stop')
                .redirectErrorStream(true).start()
        stop.waitFor()
        Files.move(mine.resolve('runs'), project.resolve('runs'))
        Files.move(mine.resolve('queue'), project.resolve('queue'))
        Files.createDirectories(project.resolve('bin'))
        Files.writeString(project.resolve('bin/version'), 'older\n')
        mine.toFile().deleteDir()

        when:
        def second = Session.open(ws, file, { events << it })
        def finished = second.runAll(Duration.ofSeconds(60))
        def runs = second.runs()
        second.close()

        then:
        finished
        runs*.state() == [RunState.DONE]
        Files.readAllLines(counter) == [rid]
        Files.readString(ws.resolve('results/older/w/1/out.txt')) == 'done\n'
        Files.isDirectory(mine.resolve("runs/$rid"))
        !Files.exists(project.resolve('runs'))
    }
}
