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
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * SSH hosts whose login user has one home shared by every host (cluster nodes that mount one NFS home): here three
 * SSH servers on this machine with one HOME, so they also share the machine id and the boot id.
 */
@Timeout(180)
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
}
