package katapult.session

import java.nio.file.Files
import java.nio.file.Path

import katapult.remote.RemoteLayout
import katapult.state.RunRecord
import katapult.state.RunState
import katapult.transport.LocalShell
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Checkpoints against the real fetch.sh in a temp home: a preempted attempt's checkpoint files come into the
 * project's state, whole or not at all; what the job does not list, or a link leading out of the run, never comes.
 */
@Timeout(60)
class CheckpointsSpec extends Specification {

    static final Path TEMPLATES = Path.of(System.getProperty('basedir', '.')).resolve('templates')

    @TempDir
    Path home

    @TempDir
    Path state

    RemoteLayout layout = new RemoteLayout('p').on('box')
    RunRecord run = new RunRecord('ck-1', 'ck', 1, 1, 'box', RunState.PREEMPTED, null, null, null, null, true, false,
            0, 0)
    Checkpoints checkpoints
    Path work

    def setup() {
        Path bin = Files.createDirectories(home.resolve(layout.root()).resolve('bin'))
        ['fetch.sh', 'lib.sh', 'protocol.sh'].each { Files.copy(TEMPLATES.resolve(it), bin.resolve(it)) }
        work = Files.createDirectories(home.resolve(layout.run(run.rid())).resolve('work'))
        checkpoints = new Checkpoints(state)
    }

    int fetch(List<String> files) {
        checkpoints.fetch(new LocalShell(home, 'box'), layout, run, files)
    }

    def "the listed files come into checkpoints/<uid>/, sub-folders kept; what is missing is left out"() {
        given:
        Files.createDirectories(work.resolve('ckpt'))
        Files.writeString(work.resolve('ckpt/state.json'), '{"step": 41}')
        Files.writeString(work.resolve('step.txt'), '41\n')
        Files.writeString(work.resolve('other.txt'), 'not asked for')

        expect:
        fetch(['ckpt/state.json', 'step.txt', 'never-written.bin']) == 2
        Files.readString(state.resolve('checkpoints/ck-1/ckpt/state.json')) == '{"step": 41}'
        Files.readString(state.resolve('checkpoints/ck-1/step.txt')) == '41\n'
        !Files.exists(state.resolve('checkpoints/ck-1/other.txt'))
        !Files.exists(state.resolve('checkpoints/ck-1.part'))
        checkpoints.held('ck-1', ['ckpt/state.json', 'step.txt', 'never-written.bin']).keySet() == ['ckpt/state.json', 'step.txt'] as Set
    }

    def "a newer checkpoint replaces the older whole; an attempt that left none keeps the older"() {
        given:
        Files.writeString(work.resolve('a.txt'), 'one')
        Files.writeString(work.resolve('b.txt'), 'one')
        fetch(['a.txt', 'b.txt'])

        when: 'the next preemption leaves only a.txt'
        Files.delete(work.resolve('b.txt'))
        Files.writeString(work.resolve('a.txt'), 'two')

        then:
        fetch(['a.txt', 'b.txt']) == 1
        Files.readString(state.resolve('checkpoints/ck-1/a.txt')) == 'two'
        !Files.exists(state.resolve('checkpoints/ck-1/b.txt'))

        when: 'then one leaves nothing'
        Files.delete(work.resolve('a.txt'))

        then:
        fetch(['a.txt', 'b.txt']) == 0
        Files.readString(state.resolve('checkpoints/ck-1/a.txt')) == 'two'
    }

    def "a checkpoint file that is a link leading out of the run's folder is not fetched"() {
        given: 'a secret outside the run, inside this spec own temp dir'
        Path secret = Files.writeString(home.resolve('secret.txt'), 'secret')
        Files.createSymbolicLink(work.resolve('ckpt.txt'), secret)

        expect:
        fetch(['ckpt.txt']) == 0
        checkpoints.held('ck-1', ['ckpt.txt']).isEmpty()
        !Files.exists(state.resolve('checkpoints/ck-1'))
    }

    def "the run's folder gone with its instance: nothing comes, nothing is held"() {
        given:
        work.toFile().deleteDir()

        expect:
        fetch(['a.txt']) == 0
        checkpoints.held('ck-1', ['a.txt']).isEmpty()
    }

    def "forget removes the run's checkpoint"() {
        given:
        Files.writeString(work.resolve('a.txt'), 'one')
        fetch(['a.txt'])

        when:
        checkpoints.forget('ck-1')

        then:
        checkpoints.held('ck-1', ['a.txt']).isEmpty()
        !Files.exists(state.resolve('checkpoints/ck-1'))
    }
}
