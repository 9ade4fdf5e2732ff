package katapult.provider

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.LeftoverProcesses
import katapult.providers.ProviderFactory
import katapult.session.Session
import katapult.provider.aws.AwsProvider
import katapult.provider.aws.AwsTestSupport
import katapult.provider.aws.FakeEc2
import katapult.provider.aws.FakeHosts
import katapult.state.RunState
import katapult.transport.SshTestHosts
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Folders and glob patterns end to end, on each provider: a folder upload with nested files (one changed between two
 * sessions: only that one is sent again), glob inputs, folder and glob outputs with nested paths fetched with their
 * layout and passed on to a job that waits for them, a pattern that matches nothing (ABORTED; optional: DONE), and a
 * link inside an output folder leading out of the run's folder (the run ABORTED, the file never read).
 */
@Timeout(300)
@Tag('e2e')
class FoldersAndPatternsSpec extends Specification {

    @TempDir
    Path ws

    SshTestHosts sshHosts
    FakeEc2 fake
    FakeHosts awsHosts

    def cleanup() {
        LeftoverProcesses.kill(ws)
        sshHosts?.close()
        awsHosts?.close()
        fake?.close()
        if (fake != null) {
            AwsTestSupport.clearFakeAws()
        }
    }

    /** The config's provider line and instance block for {@code provider}, its machines started. */
    String machines(String provider) {
        switch (provider) {
            case 'local':
                return "instance { name 'box'; cpus 4 }"
            case 'ssh':
                sshHosts = new SshTestHosts(ws.resolve('hosts'))
                return "provider 'ssh'\n" + sshHosts.instanceBlock(sshHosts.start(), 'h', 4)
            default:
                fake = new FakeEc2()
                awsHosts = new FakeHosts(Files.createDirectories(ws.resolve('machines')), fake)
                AwsTestSupport.useFakeAws(ws, Files.createDirectories(ws.resolve('awshome')))
                return """provider 'aws'
                    autoStop false
                    instance { name 'w'; region 'us-east-1'; endpoint '${fake.endpoint}'; sshCidr '198.51.100.7/32'
                               sshPort 2222; type 't3.micro'; cpus 4 }"""
        }
    }

    Session open(String provider, Path file) {
        provider == 'aws'
                ? Session.open(ws, file, { }, { config, dir -> AwsProvider.create(config, dir, awsHosts) } as ProviderFactory)
                : Session.open(ws, file, { })
    }

    void write(String rel, String text) {
        Path f = ws.resolve(rel)
        Files.createDirectories(f.parent)
        Files.writeString(f, text)
    }

    /** Every file of an instance's content store under the test's folder (the instances live there): path → inode. */
    Map<String, Object> stored() {
        Files.walk(ws).withCloseable { s ->
            s.filter { it.parent?.fileName?.toString() == 'files' && it.fileName.toString() ==~ /[0-9a-f]{64}/ }
                    .toList().collectEntries { [(it.toString()): Files.readAttributes(it, 'unix:ino')['ino']] }
        }
    }

    List<String> files(Path dir) {
        Files.walk(dir).withCloseable { s ->
            s.filter { Files.isRegularFile(it) }.collect { dir.relativize(it).toString() }.sort()
        }
    }

    def "folders and patterns on #provider: layouts kept, only a changed file sent again, nothing-matched and links out refused"() {
        given:
        write('pkg/top.txt', 'top\n')
        write('pkg/sub/mid.txt', 'mid\n')
        write('pkg/sub/deep/low.txt', 'low v1\n')
        write('data/a.csv', 'a\n')
        write('data/b.csv', 'b\n')
        write('data/skip.txt', 'not matched\n')
        write('secret.txt', 'outside the run\n')
        def file = ws.resolve('cfg.groovy')
        Files.writeString(file, """
        katapult {
            project 'globs'
            ${machines(provider)}
            job {
                name 'draw'
                uploadFiles 'pkg'
                inputFiles 'data/*.csv'
                runCommand 'cat pkg/sub/deep/low.txt data/a.csv > seen.txt; ls data > data.txt; mkdir -p out/n1/n2 plots/more; echo d > out/n1/n2/deep.txt; echo p > plots/a.png; echo q > plots/more/b.png; echo j > m.json'
                outputFiles 'out/', 'plots/**/*.png', '**/*.json', 'seen.txt', 'data.txt', 'none/*.x?'
            }
            job {
                name 'use'
                after 'draw'
                runCommand 'find out plots -type f | sort > got.txt'
                outputFiles 'got.txt'
            }
            job {
                name 'nothing'
                runCommand 'echo x > x.txt'
                outputFiles 'plots/*.png'
            }
            job {
                name 'leak'
                runCommand "mkdir out; echo ok > out/ok.txt; ln -s '${ws.resolve('secret.txt')}' out/s.txt"
                outputFiles 'out/'
            }
        }
        """)

        when:
        def session = open(provider, file)
        boolean finished = session.runAll(Duration.ofSeconds(180))
        def runs = session.runs().collectEntries { [(it.run().job()): it] }
        session.close()
        def results = ws.resolve('results/globs')
        def before = stored()

        then: 'the folder and pattern outputs came home with their nested paths'
        finished
        runs.draw.state() == RunState.DONE
        files(results.resolve('draw/1')) == ['data.txt', 'm.json', 'out/n1/n2/deep.txt', 'plots/a.png', 'plots/more/b.png',
                                             'seen.txt', 'stderr.log', 'stdout.log']
        Files.readString(results.resolve('draw/1/seen.txt')) == 'low v1\na\n'
        Files.readAllLines(results.resolve('draw/1/data.txt')) == ['a.csv', 'b.csv']

        and: 'the waiting job got them with the same layout'
        runs.use.state() == RunState.DONE
        Files.readAllLines(results.resolve('use/1/got.txt')) == ['out/n1/n2/deep.txt', 'plots/a.png', 'plots/more/b.png']

        and: 'a pattern matching nothing ABORTs its run; a link out of the run folder too, never read'
        runs.nothing.state() == RunState.ABORTED
        runs.nothing.getReason().contains("output 'plots/*.png' matched nothing")
        runs.leak.state() == RunState.ABORTED
        runs.leak.getReason().contains("output 'out/s.txt' is a link to ${ws.resolve('secret.txt').toRealPath()}, outside the run's folder")
        !Files.exists(results.resolve('leak/1/out/s.txt'))

        when: 'one file of the folder changes: a second session sends that file alone'
        write('pkg/sub/deep/low.txt', 'low v2\n')
        def again = open(provider, file)
        boolean finishedAgain = again.runAll(Duration.ofSeconds(180))
        again.close()
        def after = stored()
        def sent = after.findAll { path, ino -> before[path] != ino }

        then:
        finishedAgain
        Files.readString(results.resolve('draw/1/seen.txt')) == 'low v2\na\n'
        // the changed file of the folder, and the one output of 'draw' it changed (seen.txt, which 'use' receives)
        sent.keySet().collect { Files.readString(Path.of(it)) }.sort() == ['low v2\n', 'low v2\na\n']

        where:
        provider << ['local', 'ssh', 'aws']
    }
}
