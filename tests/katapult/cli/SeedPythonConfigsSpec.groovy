package katapult.cli

import java.nio.file.Files
import java.nio.file.Path

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The configuration examples the two seeds print, saved as .py files exactly as printed (with the files they name
 * beside them), pass check as they are.
 */
class SeedPythonConfigsSpec extends Specification {

    static final Path SEEDS = Path.of('tests/fixtures/seeds')

    @TempDir
    Path ws

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

    def "plan, init and the seeds' cfg_add_jobs take .py files"() {
        given:
        def base = Files.writeString(ws.resolve('base.py'), "config = {\n    'project': 'pyp',\n"
                + "    'instances': [ { 'cpus': 1 } ],\n    'jobs': [ { 'name': 'one', 'run_command': 'true' } ],\n}\n")
        def more = Files.writeString(ws.resolve('more.py'),
                "config = {\n    'jobs': [ { 'name': 'two', 'run_command': 'true', 'repeat': 2 } ],\n}\n")

        when:
        def plan = katapult('plan', '--json', base.toString())
        def init = katapult('init', '-C', ws.toString(), base.toString())
        def add = katapult('cfg_add_jobs', '-C', ws.toString(), more.toString())
        def status = new ObjectMapper().readValue(katapult('status', '-C', ws.toString(), '--json').out(), Map)

        then:
        plan.code() == 0
        new ObjectMapper().readValue(plan.out(), Map).project == 'pyp'
        init.code() == 0
        add.code() == 0
        status.runs*.job.sort() == ['one', 'two', 'two']
    }
}
