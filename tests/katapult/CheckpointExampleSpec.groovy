package katapult

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import katapult.dsl.ConfigLoader
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * examples/spot-checkpoint.groovy and its script: the config lists the checkpoint, and the script, TERMed mid-way,
 * saves it and then, resumed from it, ends with the total an uninterrupted run finds.
 */
@Timeout(60)
class CheckpointExampleSpec extends Specification {

    static final Path SCRIPT = Path.of('examples/spot/count.py').toAbsolutePath()

    @TempDir
    Path dir

    Process python(Path work, Map<String, String> env, String... args) {
        def builder = new ProcessBuilder(['python3', SCRIPT.toString()] + args.toList()).directory(work.toFile())
                .redirectErrorStream(true)
        builder.environment().remove('KATAPULT_RESUMED')
        builder.environment().putAll(env)
        builder.start()
    }

    def "the example config is valid and lists the checkpoint"() {
        when:
        def config = ConfigLoader.load(Path.of('examples/spot-checkpoint.groovy').toAbsolutePath())

        then:
        config.jobs()[0].checkpointFiles() == ['checkpoint.json']
        config.instances()[0].aws().eco()
    }

    def "TERMed, it saves its step; resumed, it ends with the uninterrupted total"() {
        given:
        Path once = Files.createDirectories(dir.resolve('once'))
        Path twice = Files.createDirectories(dir.resolve('twice'))
        def clean = python(once, [:], '3000')
        assert clean.waitFor(30, TimeUnit.SECONDS) && clean.exitValue() == 0

        when: 'an attempt is TERMed part way'
        def first = python(twice, [:], '3000', '0.002')
        Thread.sleep(1500)
        first.destroy()   // SIGTERM
        assert first.waitFor(10, TimeUnit.SECONDS)
        def saved = new com.fasterxml.jackson.databind.ObjectMapper().readValue(twice.resolve('checkpoint.json').toFile(), Map)

        and: 'the next attempt finds it, told by KATAPULT_RESUMED'
        def second = python(twice, [KATAPULT_RESUMED: '1'], '3000')
        String said = second.inputStream.text
        assert second.waitFor(30, TimeUnit.SECONDS)

        then:
        first.exitValue() == 143
        saved.step > 0 && saved.step < 3000
        !Files.exists(twice.resolve('result.txt.part'))
        second.exitValue() == 0
        said.trim() == "resumed at step ${saved.step}"
        Files.readString(twice.resolve('result.txt')) == Files.readString(once.resolve('result.txt'))
    }
}
