package katapult.cli

import katapult.session.SessionSource
import spock.lang.Specification

/**
 * A command line naming a subcommand gets a command tree with only that subcommand (picocli reads every option of
 * every command it is given); everything else, and the REPL, get the whole tree. What a user sees is the same.
 */
class SubcommandsSpec extends Specification {

    def "the subcommand named first is the only one; help, completion, options and typos get every subcommand"() {
        expect:
        Subcommands.named('status', '--json') == [StatusCommand]
        Subcommands.named('check', 'x.groovy') == [CheckCommand]
        Subcommands.named(args as String[]) == KatapultCommand.SUBCOMMANDS

        where:
        args << [[], ['--help'], ['--version'], ['help', 'status'], ['generate-completion'], ['stat'], ['x', 'status']]
    }

    def "every subcommand but help and completion is found by its name and by its aliases"() {
        expect:
        KatapultCommand.SUBCOMMANDS.findAll { !(it in [picocli.CommandLine.HelpCommand, picocli.AutoComplete.GenerateCompletion]) }
                .every { type -> Subcommands.named(new picocli.CommandLine(type).commandName) == [type] }
        Subcommands.named('wakeup') == [RunCommand]
        Subcommands.named('cfg_add_jobs') == [AddCommand]
    }

    def "a subcommand's own help reads the same from the small tree as from the whole one"() {
        given:
        def whole = new ByteArrayOutputStream()
        Main.commandLine(new PrintStream(whole), new PrintStream(new ByteArrayOutputStream()), SessionSource.DIRECT)
                .execute(name, '--help')

        when:
        def small = new ByteArrayOutputStream()
        def code = Main.run(new PrintStream(small), new PrintStream(new ByteArrayOutputStream()), name, '--help')

        then:
        code == 0
        small.toString() == whole.toString()
        small.toString().startsWith("Usage: katapult $name")

        where:
        name << ['status', 'check', 'run', 'logs']
    }

    def "the top's help, version and bare call read the same from the listed subcommands as from the whole tree"() {
        given:
        def whole = new ByteArrayOutputStream()
        def wholeCode = Main.commandLine(new PrintStream(whole), new PrintStream(new ByteArrayOutputStream()),
                SessionSource.DIRECT).execute(args as String[])

        when:
        def listed = new ByteArrayOutputStream()
        def code = Main.run(new PrintStream(listed), new PrintStream(new ByteArrayOutputStream()), args as String[])

        then:
        Subcommands.listedOnly(args as String[])
        code == wholeCode
        listed.toString() == whole.toString()
        listed.toString().contains(expected)

        where:
        args          | expected
        ['--help']    | '  generate-completion'
        ['-h']        | '  run'
        ['help']      | 'Exit codes:'
        []            | 'Usage: katapult'
        ['--version'] | 'katapult'
    }

    def "a command line that names a subcommand, or more than the top's help, parses the real subcommands"() {
        expect:
        !Subcommands.listedOnly(args as String[])

        where:
        args << [['status'], ['help', 'status'], ['--help', 'status'], ['stat'], ['generate-completion']]
    }

    def "the top's help still lists every subcommand, completion included"() {
        when:
        def out = new ByteArrayOutputStream()
        Main.run(new PrintStream(out), new PrintStream(new ByteArrayOutputStream()), '--help')

        then:
        KatapultCommand.SUBCOMMANDS.every { type ->
            out.toString() =~ /(?m)^  ${new picocli.CommandLine(type).commandName}[ ,]/
        }
    }

    def "each subcommand's line in the top's help is a whole sentence: picocli shows the first line of its description"() {
        expect:
        KatapultCommand.SUBCOMMANDS.every { type ->
            def summary = new picocli.CommandLine(type).commandSpec.usageMessage().description()[0]
            assert summary.endsWith('.'): "${type.simpleName}: '$summary'"
            true
        }
    }

    def "a bad option of a named subcommand is still a usage error with the subcommand's hint"() {
        when:
        def err = new ByteArrayOutputStream()
        def code = Main.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), 'status', '--jsn')

        then:
        code == ExitCodes.USAGE
        err.toString().contains('--jsn')
        err.toString().contains('katapult status --help')
    }
}
