package katapult.config

import spock.lang.Specification

class ConfigShellWordsSpec extends Specification {

    def "#line splits into #words"() {
        expect:
        ShellWords.split(line) == words

        where:
        line                               || words
        'run.py 1 10'                      || ['run.py', '1', '10']
        '  run.py   1\t10  '               || ['run.py', '1', '10']
        "run.py 'two words' 3"             || ['run.py', 'two words', '3']
        'run.py "two words" 3'             || ['run.py', 'two words', '3']
        'run.py two\\ words'               || ['run.py', 'two words']
        'run.py "say \\"hi\\""'            || ['run.py', 'say "hi"']
        "run.py 'it'\\''s'"                || ['run.py', "it's"]
        'run.py "a\\b"'                    || ['run.py', 'a\\b']
        "run.py ''"                        || ['run.py', '']
        'run.py $HOME *.txt'               || ['run.py', '$HOME', '*.txt']
        'run.py "\\$HOME"'                 || ['run.py', '$HOME']
        "a'b'c\"d\"e"                      || ['abcde']
        ''                                 || []
        '   '                              || []
    }

    def "#line cannot be split: #problem"() {
        when:
        ShellWords.split(line)

        then:
        IllegalArgumentException e = thrown()
        e.message.contains(problem)

        where:
        line               || problem
        "run.py 'open"     || "the quote ' opened at character 8 is never closed"
        'run.py "open'     || 'the quote " opened at character 8 is never closed'
        'run.py trailing\\' || 'lone backslash'
    }
}
