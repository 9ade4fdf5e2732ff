package katapult.dsl

import java.nio.file.Files
import java.nio.file.Path
import katapult.config.ConfigException
import katapult.config.Problem
import katapult.config.TempConfig
import spock.lang.Specification
import spock.lang.TempDir

/** What a user sees when the file is not even a config: syntax errors, failing scripts, missing files. */
class DslErrorsSpec extends Specification {

    @TempDir
    Path dir

    TempConfig t

    def setup() {
        t = new TempConfig(dir)
    }

    static void readable(List<Problem> problems) {
        assert problems.every { it.line() > 0 }
        assert problems.every { !it.message().contains('Exception') && !it.message().contains('\tat ') }
        assert problems.every { !it.message().contains('\n') }
    }

    def "a syntax error is placed at its line and column: #expected"() {
        when:
        List<Problem> problems = t.problems(text)

        then:
        problems.size() == 1
        problems[0].line() == line
        problems[0].message().contains(expected)
        readable(problems)

        where:
        text                                                        || line | expected
        "katapult {\n  job {\n}\n"                                  || 2    | "syntax error: the '{' at line 2 is never closed: a '}' seems to be missing"
        "katapult {\n  project 'x'\n}\n}\n"                         || 4    | "this '}' closes nothing: one too many"
        "config = [\n  project: 'x'\n  debug: 1\n]\n"               || 3    | "syntax error at column 3: unexpected input 'debug'; is a ',' missing at the end of line 2?"
        "config = {\n  'project': 'x'\n}\n"                         || 2    | "the map form is written with square brackets"
        "katapult {\n  project 'x\n}\n"                             || 2    | "syntax error at column"
        "katapult {\n  # comment\n}\n"                              || 2    | "Groovy comments start with // (not #)"
        "def x = 1\ndef x = 2\nkatapult { }\n"                      || 2    | "the current scope already contains a variable of the name x"
    }

    def "a script that throws is reported at the line that threw: #expected"() {
        when:
        List<Problem> problems = t.problems(text)

        then:
        problems*.line() == [line]
        problems[0].message().contains(expected)
        readable(problems)

        where:
        text                                                                   || line | expected
        "def n = 0\nkatapult {\n  debug 1 / n\n}"                              || 3    | 'the config script failed (arithmetic): Division by zero'
        "katapult {\n  job {\n    throw new IllegalStateException('boom')\n  }\n}" || 3 | 'the config script failed (illegal state): boom'
        "def m = null\nkatapult {\n  project m.trim()\n}"                      || 3    | 'the config script failed (null pointer)'
        "katapult {\n  project 'abc'.frobnicate(2)\n}"                         || 2    | 'no method frobnicate(Integer) on String'
        "def f(n) { f(n + 1) }\nf(1)\n"                                        || 1    | 'the config script never ends'
        "katapult {\n  job {\n    runScript myScript\n  }\n}"                  || 3    | "unknown name 'myScript'"
        "config = [\n  project: 'x',\n  dev: True,\n]"                         || 3    | "'True' is Python; Groovy writes true"
        "config = [\n  project: 'x',\n  dev: False,\n]"                        || 3    | "'False' is Python; Groovy writes false"
        "assert 1 == 2\nkatapult { }"                                          || 1    | 'the config script failed (power assertion): assert 1 == 2'
        "katapult {\n  job { new File('/nope/x').text }\n}"                    || 2    | 'the config script failed (file not found): /nope/x'
    }

    def "problems found before a script fails are reported with its failure"() {
        when:
        List<Problem> problems = t.problems("katapult {\n  cpu 2\n  debug 1 / 0\n}")

        then:
        problems*.line() == [2, 3]
    }

    def "the form is the map form or the block form, not both, not neither: #expected"() {
        expect:
        t.problems(text)*.toString() == [dir.resolve('cfg.groovy').toString() + ':' + expected]

        where:
        text                                                  || expected
        "katapult { }\nconfig = [:]"                          || "2: this file uses both forms, katapult { } (line 1) and config = [ ] (line 2); keep one of them"
        "println 'hi'"                                        || "1: this file holds no configuration: write katapult { ... } (block form) or config = [ ... ] (map form)"
        ""                                                    || "1: this file holds no configuration: write katapult { ... } (block form) or config = [ ... ] (map form)"
        "config = 'x'"                                        || "1: config must be a map: config = [ key: value, ... ], got 'x' (String)"
        "config = null"                                       || "1: config must be a map: config = [ key: value, ... ], got null"
        "project = 'x'\nconfig = [:]"                         || "1: 'project' is set outside the configuration, where it has no effect; write it as a key of config = [ ]"
        "jobs = [[run_command: 'x']]"                         || "1: 'jobs' is set outside the configuration, where it has no effect; write it inside katapult { } or config = [ ]"
    }

    def "a variable named like a key is fine when the configuration reads it"() {
        when:
        def c = t.load("""
            project = 'shared-name'
            jobs = [[run_command: 'echo']]
            config = [project: project, jobs: jobs]""")

        then:
        c.project() == 'shared-name'
    }

    def "the map form may be declared with def, built by code, and refer to variables"() {
        given:
        t.file('run.py', 'x')

        when:
        def c = t.load('''
            def n = 3
            def job = { i -> [run_script: "run.py $i"] }
            def config = [
                project: 'built',
                jobs   : (1..n).collect(job),
            ]''')

        then:
        c.project() == 'built'
        c.jobs().size() == 3
    }

    def "map-form problems point at the entry, or at the nearest entry written in the file"() {
        when:
        List<Problem> problems = t.problems('''
            def bad = [run_command: 'x', repeat: 'many']
            config = [
                project: 'p',
                jobs: [
                    [run_command: 'y',
                     cpus_req: 'all'],
                    bad,
                ],
            ]''')

        then:
        problems*.line() == [7, 8]
        problems*.message() == ["'cpus_req' must be a whole number ≥ 1, got 'all' (String)",
                                "'repeat' must be a whole number ≥ 1, got 'many' (String)"]
    }

    def "a file that cannot be a config is one problem without a line: #expected"() {
        given:
        Path file = switch (kind) {
            case 'missing' -> dir.resolve('nothing.groovy')
            case 'folder' -> dir
            default -> Files.write(dir.resolve('latin1.groovy'), [0xE9, 0x0A] as byte[])
        }

        when:
        ConfigLoader.load(file)

        then:
        ConfigException e = thrown()
        e.problems().size() == 1
        e.problems()[0].line() == 0
        e.problems()[0].message().contains(expected)

        where:
        kind      || expected
        'missing' || 'no such config file'
        'folder'  || 'is a folder, not a config file'
        'latin1'  || 'it is not UTF-8 text'
    }

    def "the file in each problem is the path as the caller gave it"() {
        given:
        Path file = t.file('sub/cfg.groovy', "katapult { debug 9 }")
        Path relative = Path.of('').toAbsolutePath().relativize(file)

        when:
        ConfigLoader.load(relative)

        then:
        ConfigException e = thrown()
        e.problems()*.file() == [relative.toString()]
        e.message == "${relative}:1: 'debug' must be 0, 1, 2 or 3, got 9 (Integer)"
    }

    def "Duration is imported for the config's use"() {
        expect:
        t.load("config = [provider: 'aws', instances: [[type: 't', eco_life: Duration.ofMinutes(5)]]]").instances()[0].aws().ecoLife().toMinutes() == 5
    }
}
