package katapult

import java.nio.file.Files
import java.nio.file.Path
import java.util.regex.Matcher

import spock.lang.Specification

/**
 * Keeps the fast test loop fast: a spec is fast unless tagged {@code @Tag('e2e')}; the {@code fast} Maven profile
 * leaves the tagged ones out, the default build runs them all.
 */
class TestSplitSpec extends Specification {

    static final String E2E = "@Tag('e2e')"

    /** Test helpers that start processes, SSH servers, a fake EC2 or a terminal, or run sessions to their end. */
    static final List<String> END_TO_END_HARNESSES = ['KatapultJvm', 'SshTestHosts', 'OpenSshHosts', 'FakeEc2',
                                                      'AwsTestSupport', 'FaultScenario', 'SlurmCluster', 'tmux', 'runAll(']

    /** Every spec but this one, whose source names the tag and the harnesses it looks for. */
    static List<Path> specs() {
        Files.walk(Path.of('tests/katapult')).withCloseable { paths ->
            paths.filter { it.fileName.toString().endsWith('Spec.groovy') && it.fileName.toString() != 'TestSplitSpec.groovy' }
                    .sorted().toList()
        }
    }

    static boolean endToEnd(String source) {
        source.readLines().any { it.trim() == E2E }
    }

    /** The harnesses a spec's source uses, string literals and comments included (a cheap, strict reading). */
    static List<String> harnessesIn(String source) {
        END_TO_END_HARNESSES.findAll { source.contains(it) }
    }

    def "the reading sees the tag on its own line and a harness anywhere"() {
        expect:
        endToEnd("@Timeout(60)\n@Tag('e2e')\nclass ASpec extends Specification {}")
        !endToEnd("/** not @Tag('e2e') */\nclass ASpec extends Specification {}")
        harnessesIn('def fake = new FakeEc2(); session.runAll(d)') == ['FakeEc2', 'runAll(']
        harnessesIn('def shell = new LocalShell(home)') == []
    }

    def "there are specs of both kinds"() {
        given:
        def sources = specs().collect { Files.readString(it) }

        expect:
        sources.count { endToEnd(it) } >= 20
        sources.count { !endToEnd(it) } >= 20
    }

    def "the only tag is e2e, spelt so the fast profile leaves it out"() {
        given:
        def tags = specs().collectMany { spec ->
            (Files.readString(spec) =~ /@Tag\([^)]*\)/).collect { match -> "${spec.fileName}: $match".toString() }
        }

        expect:
        tags.every { it.endsWith(E2E) }
    }

    def "a fast spec uses none of the end-to-end harnesses"() {
        given:
        def misplaced = specs().collectEntries { spec ->
            String source = Files.readString(spec)
            [(spec.fileName.toString()): endToEnd(source) ? [] : harnessesIn(source)]
        }.findAll { it.value }

        expect: 'tag these @Tag(\'e2e\'), or move the end-to-end part to a tagged spec'
        misplaced == [:]
    }

    def "the fast profile leaves out the e2e tag and nothing else, the default build leaves out nothing"() {
        given:
        String pom = Files.readString(Path.of('pom.xml'))
        Matcher excluded = pom =~ /<excludedGroups>([^<]*)<\/excludedGroups>/
        Matcher groups = pom =~ /<groups>/

        expect:
        excluded.size() == 1
        excluded[0][1] == 'e2e'
        pom.indexOf('<excludedGroups>') > pom.indexOf('<id>fast</id>')
        groups.size() == 0
    }

    def "the README gives the fast command and the full one, and CI runs the full one"() {
        given:
        String readme = Files.readString(Path.of('README.md'))

        expect:
        readme.contains('mvn -B -ntp -Pfast test')
        readme.contains('mvn -B -ntp verify')
        Files.readString(Path.of('.ci/run')).readLines().last() == 'mvn -B -ntp verify'
    }
}
