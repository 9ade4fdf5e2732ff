package katapult.cli

import java.nio.file.Path

import spock.lang.Specification

/**
 * The configuration examples the two seeds print, saved as .py files exactly as printed (with the files they name
 * beside them), pass check as they are.
 */
class SeedPythonConfigsSpec extends Specification {

    static final Path SEEDS = Path.of('tests/fixtures/seeds')

    record Outcome(int code, String out, String err) { }

    static Outcome katapult(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), args)
        new Outcome(code, out.toString(), err.toString())
    }

    def "the seed's example #file passes check: #summary"() {
        when:
        def result = katapult('check', SEEDS.resolve(file).toString())

        then:
        result.code() == 0
        result.out().contains(summary)
        !result.err().contains('\tat ')
        warned(result) == warnings as Set // dev False, maestro 'local' and mutualize_uploads True are the defaults

        where:
        file                    | summary                                                                    | warnings
        '000/config.example.py' | 'valid — project test, provider aws, 1 instance entry, 1 environment(s), 2 job(s), 2 run(s)' | []
        '001/config.example.py' | 'valid — project test, provider aws, 1 instance entry, 1 environment(s), 2 job(s), 3 run(s)' | []
        '001/config.minimum.py' | 'provider aws, 1 instance entry, 1 environment(s), 2 job(s), 2 run(s)'     | []
    }

    /** The keys check warns about. */
    static Set<String> warned(Outcome result) {
        (result.out() + result.err()).readLines().findAll { it.contains('warning:') }
                .collect { (it =~ /warning: '([a-z_]+)'/).with { m -> m.find() ? m.group(1) : it } } as Set
    }

    def "the seed's profile snippet, printed with '...' for the rest, is refused at the '...' line, not run"() {
        when:
        def result = katapult('check', SEEDS.resolve('001/config.profile.py').toString())

        then:
        result.code() == 2
        result.err().contains('config.profile.py:9: ')
        result.err().contains("'...' (Ellipsis) is not a literal value")
        result.err().contains('Groovy map form')
        !result.err().contains('\tat ')
    }
}
