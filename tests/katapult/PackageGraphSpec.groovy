package katapult

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses

import com.tngtech.archunit.core.domain.JavaClasses
import com.tngtech.archunit.core.importer.ClassFileImporter
import com.tngtech.archunit.core.importer.ImportOption
import com.tngtech.archunit.lang.ArchRule
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition
import spock.lang.Shared
import spock.lang.Specification

/**
 * The package graph of lib/ and dsl/ has no cycle and keeps its layers: cli on top (it alone knows repl), terminal
 * output below both, the concrete providers known only to the factory that picks one, and katapult.util a leaf.
 * Each package is its own slice: katapult.provider and katapult.provider.aws are two.
 */
class PackageGraphSpec extends Specification {

    @Shared
    JavaClasses main = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages('katapult')

    static ArchRule noCycles(String root) {
        SlicesRuleDefinition.slices().matching(root + '.(**)').should().beFreeOfCycles()
    }

    static String firstLines(com.tngtech.archunit.lang.EvaluationResult result) {
        result.failureReport.details.collect { it.readLines().take(4)*.strip().join(' ') }.join('\n')
    }

    def "no cycle among katapult's packages"() {
        when:
        def result = noCycles('katapult').evaluate(main)

        then:
        assert !result.hasViolation(), firstLines(result)
        main.size() > 100 // the import found the compiled classes (an empty import would pass any rule)
    }

    def "the rule does catch a cycle: two fixture packages that use each other"() {
        given:
        def fixtures = new ClassFileImporter().importPackages('katapult.graphfixture')

        when:
        def result = noCycles('katapult.graphfixture').evaluate(fixtures)

        then:
        result.hasViolation()
        firstLines(result).contains('Slice a')
        firstLines(result).contains('Slice b')
    }

    def "katapult.util depends on no other katapult package"() {
        expect:
        noClasses().that().resideInAPackage('katapult.util..')
                .should().dependOnClassesThat().resideInAnyPackage(otherThan('util'))
                .check(main)
    }

    def "#lower is used only by #users"() {
        expect:
        noClasses().that().resideOutsideOfPackages(users.collect { "katapult.${it}.." } as String[])
                .should().dependOnClassesThat().resideInAPackage("katapult.${lower}..")
                .check(main)

        where:
        lower            | users
        'cli'            | ['cli']
        'repl'           | ['repl', 'cli']
        'terminal'       | ['terminal', 'cli', 'repl']
        'provider.aws'   | ['provider.aws', 'providers']
        'provider.ssh'   | ['provider.ssh', 'providers']
        'provider.local' | ['provider.local', 'providers']
    }

    def "the lower layers never reach up into session, terminal or the front ends"() {
        expect:
        noClasses().that().resideInAnyPackage('katapult.config..', 'katapult.dsl..', 'katapult.plan..',
                'katapult.env..', 'katapult.remote..', 'katapult.state..', 'katapult.transport..',
                'katapult.provider..', 'katapult.providers..')
                .should().dependOnClassesThat().resideInAnyPackage('katapult.session..', 'katapult.terminal..',
                'katapult.cli..', 'katapult.repl..')
                .check(main)
    }

    /** Every katapult package except katapult.{@code own} and its sub-packages. */
    static String[] otherThan(String own) {
        ['cli', 'repl', 'terminal', 'session', 'providers', 'provider', 'dsl', 'config', 'plan', 'env', 'remote',
         'state', 'transport', 'util'].findAll { it != own }.collect { "katapult.${it}.." } as String[]
    }
}
