package katapult.dsl

import java.nio.file.Files
import java.nio.file.Path
import katapult.config.ConfigKeys
import katapult.config.TempConfig
import spock.lang.Specification
import spock.lang.TempDir

/** The key table drives the shipped documentation, the IDE descriptor and the inert-key warnings. */
class KeyTableSpec extends Specification {

    @TempDir
    Path dir

    def "the shipped katapult.gdsl is the one made from the key table (regenerate: java katapult.dsl.Gdsl FILE)"() {
        expect:
        Files.readString(Path.of('dsl/katapult/dsl/katapult.gdsl')) == Gdsl.render()
    }

    def "the GDSL names every key of the table by its block name"() {
        given:
        String gdsl = Gdsl.render()

        expect:
        ConfigKeys.all().every { gdsl.contains("method name: '${it.camel()}',") }
    }

    def "README's configuration reference is the one made from the key table"() {
        given:
        String readme = Files.readString(Path.of('README.md'))
        String tables = ConfigKeys.markdownTables().replaceAll(/(?m)^### /, '#### ').trim()

        expect:
        readme.contains(tables)
    }

    def "setting an inert key to another value than its quiet one warns at its line: #text"() {
        given:
        def t = new TempConfig(dir)

        when:
        def config = t.load(text)

        then:
        config.warnings().collect { "${Path.of(it.file()).fileName}:${it.line()}: ${it.message()}" } == expected

        where:
        text                                                                 || expected
        "config = [project: 'p',\n dev: true]"                               || ["cfg.groovy:2: warning: 'dev' is set to true, but this key has no effect yet: Katapult ignores it"]
        "katapult {\n project 'p'\n mutualizeUploads false\n}"               || [] // a live key: never warned
        "config = [project: 'p', provider: 'ssh',\n maestro: 'remote']"      || []
        "config = [project: 'p', dev: false, mutualize_uploads: true, maestro: 'local']" || []
        "config = [project: 'p']"                                            || []
    }

    def "katapult check prints the warning with file:line and keeps exit code 0"() {
        given:
        Path cfg = dir.resolve('w.groovy')
        Files.writeString(cfg, "config = [project: 'p',\n dev: true]\n")
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()

        when:
        int code = katapult.cli.Main.run(new PrintStream(out, true), new PrintStream(err, true), 'check', cfg.toString())

        then:
        code == 0
        err.toString().contains("${cfg}:2: warning: 'dev' is set to true, but this key has no effect yet")
        out.toString().contains('valid')
    }
}
