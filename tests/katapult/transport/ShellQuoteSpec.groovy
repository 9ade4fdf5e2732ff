package katapult.transport

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir

class ShellQuoteSpec extends Specification {

    @TempDir
    Path home

    def "a value goes through bash unchanged: #description"() {
        given:
        def shell = new LocalShell(home, 'test')

        when:
        def result = shell.exec('printf "%s" ' + ShellQuote.quote(value))

        then:
        result.ok()
        result.stdout() == value

        where:
        description         | value
        'spaces'            | 'two words  and more'
        'single quotes'     | "it's 'quoted'"
        'double quotes'     | 'say "hi"'
        'command subst'     | '$(touch pwned) `touch pwned`'
        'variables'         | '$HOME ${PATH}'
        'semicolons'        | 'a; rm -rf /; b'
        'newlines'          | 'line one\nline two\n'
        'globs'             | '* ? [a-z]'
        'backslashes'       | 'a\\b\\\\c'
        'empty'             | ''
    }

    def "nothing a quoted value holds is ever executed"() {
        when:
        new LocalShell(home, 'test').exec('echo ' + ShellQuote.quote('$(touch pwned); touch pwned2'))

        then:
        !Files.exists(home.resolve('pwned'))
        !Files.exists(home.resolve('pwned2'))
    }

    def "join quotes each word, so arguments arrive one by one"() {
        when:
        def result = new LocalShell(home, 'test').exec('printf "<%s>" ' + ShellQuote.join(['a b', "c'd", 'e\nf']))

        then:
        result.stdout() == "<a b><c'd><e\nf>"
    }

    def "homePath expands HOME and nothing else"() {
        when:
        def result = new LocalShell(home, 'test').exec('printf "%s" ' + ShellQuote.homePath('.x/$(y)'))

        then:
        result.stdout() == home.toString() + '/.x/$(y)'
    }

    def "homePath leaves an absolute path as it is, quoted"() {
        when:
        def result = new LocalShell(home, 'test').exec('printf "%s" ' + ShellQuote.homePath('/scratch/$(y) z'))

        then:
        ShellQuote.homePath('/scratch/a') == "'/scratch/a'"
        result.stdout() == '/scratch/$(y) z'
    }

    def "a NUL byte is refused"() {
        when:
        ShellQuote.quote('a\u0000b')

        then:
        thrown(IllegalArgumentException)
    }
}
