package katapult.cli

import spock.lang.Specification

/** The seeds' command names work as aliases of Katapult's commands, and --help shows them. */
class SeedCommandsSpec extends Specification {

    record Outcome(int code, String out, String err) { }

    static Outcome katapult(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), args)
        new Outcome(code, out.toString(), err.toString())
    }

    def "katapult --help lists each alias with its command"() {
        when:
        def help = katapult('--help')

        then:
        help.code() == 0
        help.out().contains('run, wakeup')
        help.out().contains('add, cfg_add_jobs, cfg_add_config')
        help.out().contains('fetch, fetch_results')
        help.out().contains('stop, shutdown')
    }

    def "'#alias' is '#command'"() {
        when:
        def viaAlias = katapult(alias, '--help')
        def viaCommand = katapult(command, '--help')

        then:
        viaAlias.code() == 0
        viaAlias.out().startsWith("Usage: katapult $command ")
        viaAlias.out() == viaCommand.out()

        where:
        alias            | command
        'wakeup'         | 'run'
        'cfg_add_jobs'   | 'add'
        'cfg_add_config' | 'add'
        'fetch_results'  | 'fetch'
        'shutdown'       | 'stop'
    }

    def "run --help explains --reset"() {
        expect:
        katapult('run', '--help').out().contains('--reset')
    }
}
