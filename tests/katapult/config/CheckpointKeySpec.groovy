package katapult.config

import java.nio.file.Path

import katapult.session.JobBuilder
import spock.lang.Specification
import spock.lang.TempDir

/** checkpoint_files (a job key): the files fetched from a preempted attempt and placed in the next one. */
class CheckpointKeySpec extends Specification {

    @TempDir
    Path dir

    Config load(String text) {
        new TempConfig(dir).load(text)
    }

    def "none by default"() {
        expect:
        load("config = [jobs: [[run_command: 'true']]]").jobs()[0].checkpointFiles() == []
    }

    def "both forms set it, a string or a list, normalised"() {
        when:
        def block = load("""katapult {
            job { runCommand 'true'; checkpointFiles 'ckpt/state.json', './step.txt' }
        }""")
        def map = load("config = [jobs: [[run_command: 'true', checkpoint_files: ['ckpt/state.json', 'step.txt']]]]")
        def one = load("config = [jobs: [[run_command: 'true', checkpoint_files: 'ckpt//state.json']]]")

        then:
        block.jobs()[0].checkpointFiles() == ['ckpt/state.json', 'step.txt']
        map.jobs()[0].checkpointFiles() == ['ckpt/state.json', 'step.txt']
        one.jobs()[0].checkpointFiles() == ['ckpt/state.json']
    }

    def "the scripting API's builder sets it"() {
        expect:
        new JobBuilder().command('true').checkpointFiles('a.json', 'b/c.bin').build().checkpointFiles() == ['a.json', 'b/c.bin']
    }

    def "'#value' is refused at its line, naming the key and why"() {
        when:
        load("config = [\n jobs: [[run_command: 'true',\n checkpoint_files: $value]]]")

        then:
        def e = thrown(ConfigException)
        e.message.contains('cfg.groovy:3:')
        e.message.contains("'checkpoint_files'")
        e.message.contains(why)

        where:
        value                    || why
        "'/tmp/state.json'"      || 'not absolute'
        "'../state.json'"        || "no '..'"
        "['a.json', './a.json']" || 'twice'
        "'.'"                    || 'working folder itself'
        "'a\\nb'"                || 'control character'
    }
}
