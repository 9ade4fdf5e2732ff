package katapult

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The repository's jbang-catalog.json, used as a user does: `jbang katapult@<catalog>` runs Katapult through the alias,
 * and `jbang app install` makes a `katapult` command from it. The catalog is named by its file path: no network.
 */
@Timeout(600)
@Requires({ ['mvn', 'java'].every { tool -> System.getenv('PATH').split(':').any { new File(it, tool).canExecute() } } })
@Tag('e2e')
class JBangCatalogSpec extends Specification {

    @TempDir
    Path ws

    static final Path CATALOG = Path.of('jbang-catalog.json').toAbsolutePath()
    static final String WRAPPER = Path.of('jbang').toAbsolutePath().toString()

    /** Runs the ./jbang wrapper in ws (not the repository), JBang's own folder in ws so installs stay there. */
    List run(String... args) {
        def log = ws.resolve("jbang-${System.nanoTime()}.log")
        def builder = new ProcessBuilder([WRAPPER, *args]).directory(ws.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile())
        builder.environment().put('JBANG_DIR', ws.resolve('jbang-home').toString())
        def process = builder.start()
        assert process.waitFor(500, TimeUnit.SECONDS)
        [process.exitValue(), Files.readString(log)]
    }

    def "the catalog's alias runs Katapult from another folder: jbang katapult@<path of jbang-catalog.json>"() {
        when:
        def (code, output) = run("katapult@$CATALOG", '--version')

        then:
        code == 0
        output.contains('katapult ')
        !output.contains('No alias found')
    }

    def "jbang app install katapult@<catalog> makes a katapult command"() {
        when:
        def (code, output) = run('app', 'install', '--force', "katapult@$CATALOG")
        def command = ws.resolve('jbang-home/bin/katapult')

        then:
        code == 0
        Files.isExecutable(command)

        when: 'the command runs `jbang`, which a user has on PATH: here the wrapper, through a script in ws'
        def bin = Files.createDirectories(ws.resolve('bin'))
        def jbang = Files.writeString(bin.resolve('jbang'),
                "#!/usr/bin/env bash\nKATAPULT_WRAPPER_IGNORE_PATH=1 exec '$WRAPPER' \"\$@\"\n")
        jbang.toFile().setExecutable(true)
        def p = new ProcessBuilder(command.toString(), '--version').directory(ws.toFile()).redirectErrorStream(true)
        p.environment().put('JBANG_DIR', ws.resolve('jbang-home').toString())
        p.environment().put('PATH', "$bin:${System.getenv('PATH')}".toString())
        def started = p.start()
        def text = started.inputStream.text

        then:
        started.waitFor(300, TimeUnit.SECONDS)
        started.exitValue() == 0
        text.contains('katapult ')
    }
}
