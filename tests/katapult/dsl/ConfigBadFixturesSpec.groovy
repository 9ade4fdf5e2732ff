package katapult.dsl

import java.nio.file.Files
import java.nio.file.Path
import katapult.config.ConfigException
import katapult.config.Problem
import spock.lang.Specification

/**
 * Every file under tests/fixtures/bad holds one mistake (or, for several-mistakes.groovy, several),
 * announced on its first lines as {@code // expect: <line>: <part of the message>}: loading it reports
 * exactly those problems, at those lines, and nothing a user could not read.
 */
class ConfigBadFixturesSpec extends Specification {

    static final Path BAD = Path.of('tests/fixtures/bad')

    static List<Path> fixtures() {
        Files.list(BAD).withCloseable { s -> s.filter { it.fileName.toString().endsWith('.groovy') }.sorted().toList() }
    }

    /** The expectations written on the first lines of a fixture: [line, substring] pairs. */
    static List<List> expectations(Path file) {
        Files.readAllLines(file).takeWhile { it.startsWith('// expect:') }.collect { String l ->
            def m = l =~ /^\/\/ expect: (\d+): (.+)$/
            assert m.matches(): "malformed expectation in $file: $l"
            [m.group(1) as int, m.group(2).trim()]
        }
    }

    def "there are at least 24 bad fixtures, each announcing what it expects"() {
        expect:
        fixtures().size() >= 24
        fixtures().every { !expectations(it).empty }
        fixtures().any { expectations(it).size() >= 5 }
    }

    def "#name reports exactly what it announces"() {
        given:
        List<List> expected = expectations(file)

        when:
        ConfigLoader.load(file)

        then:
        ConfigException e = thrown()
        List<Problem> problems = e.problems()

        and: 'every expectation is met by a problem at its line'
        expected.every { int line, String part ->
            problems.any { it.line() == line && it.message().contains(part) }
        } || { throw new AssertionError("expected $expected\ngot\n${problems.join('\n')}") }()

        and: 'nothing else is reported'
        problems.size() == expected.size()

        and: 'every problem is placed and readable'
        problems.every { it.line() > 0 }
        problems.every { it.file() == file.toString() }
        problems.every { !it.message().contains('Exception') && !it.message().contains('\tat ') }
        problems.every { !it.message().contains('\n') }

        and: 'the exception message lists them all, one per line, as file:line: message'
        e.message.readLines() == problems*.toString()

        where:
        file << fixtures()
        name = file.fileName.toString()
    }
}
