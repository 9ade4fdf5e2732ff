package katapult.dsl.python

import katapult.dsl.python.PyTokens.Kind
import spock.lang.Specification

class PyTokensSpec extends Specification {

    static List<List> kinds(String src) {
        PyTokens.of(src).collect { [it.kind(), it.kind() in [Kind.STRING, Kind.NUMBER] ? it.value() : it.text()] }
    }

    def "names, operators, numbers and strings, with their lines and columns, comments dropped"() {
        when:
        def tokens = PyTokens.of("config = {  # a comment\n    'a' : 1,\n}\n")

        then:
        tokens*.kind() == [Kind.NAME, Kind.OP, Kind.OP, Kind.STRING, Kind.OP, Kind.NUMBER, Kind.OP, Kind.OP, Kind.NEWLINE, Kind.END]
        tokens[3].value() == 'a'
        tokens[3].line() == 2
        tokens[3].column() == 5
        tokens[5].value() == 1
        tokens[7].line() == 3
    }

    def "string literal #src is #value"() {
        expect:
        kinds(src)[0] == [Kind.STRING, value]

        where:
        src                        | value
        "'single'"                 | 'single'
        '"double"'                 | 'double'
        "'it\\'s'"                 | "it's"
        '"a\\tb\\n"'               | 'a\tb\n'
        "'\\x41\\u00e9\\U0001F600'" | 'A\u00e9\uD83D\uDE00'
        "'\\101'"                  | 'A'
        "'keep \\d'"               | 'keep \\d'
        "r'C:\\new'"               | 'C:\\new'
        "u'unicode'"               | 'unicode'
        "'''three\nlines'''"       | 'three\nlines'
        '"""it\'s "quoted" """'    | 'it\'s "quoted" '
        "'joined \\\nline'"        | 'joined line'
        "'#not a comment'"         | '#not a comment'
    }

    def "number #src is #value (#type)"() {
        expect:
        def v = kinds(src)[0][1]
        v == value
        v.getClass() == type

        where:
        src                    | value                           | type
        '42'                   | 42                              | Integer
        '1_000'                | 1000                            | Integer
        '0'                    | 0                               | Integer
        '0x1F'                 | 31                              | Integer
        '0o17'                 | 15                              | Integer
        '0b101'                | 5                               | Integer
        '3000000000'           | 3000000000L                     | Long
        '99999999999999999999' | 99999999999999999999G           | BigInteger
        '1.5'                  | 1.5G                            | BigDecimal
        '.5'                   | 0.5G                            | BigDecimal
        '2.'                   | 2.0G                            | BigDecimal
        '1e3'                  | 1e3G                            | BigDecimal
        '2.5E-2'               | 0.025G                          | BigDecimal
    }

    def "new lines inside brackets and after a backslash continue the line; others end it"() {
        expect:
        kinds("a = [\n1,\n2]\nb = \\\n3\n")*.get(0) == [Kind.NAME, Kind.OP, Kind.OP, Kind.NUMBER, Kind.OP, Kind.NUMBER,
                                                         Kind.OP, Kind.NEWLINE, Kind.NAME, Kind.OP, Kind.NUMBER,
                                                         Kind.NEWLINE, Kind.END]
    }

    def "the end token names the innermost bracket left open"() {
        when:
        def end = PyTokens.of("config = {\n 'a': [1,\n")[-1]

        then:
        end.kind() == Kind.END
        end.value().text() == '['
        end.value().line() == 2
    }

    def "#src is refused at line #line column #column: #message"() {
        when:
        PyTokens.of(src)

        then:
        PySyntaxError e = thrown()
        e.line() == line
        e.column() == column
        e.message.contains(message)

        where:
        src                      | line | column | message
        "x = 'open\n"            | 1    | 5      | 'never closed on its line'
        "x = '''open\n\n"        | 1    | 5      | 'this string is never closed'
        "x = [1}\n"              | 1    | 7      | "'}' does not close '[' of line 1"
        "x = 1]\n"               | 1    | 6      | "']' closes nothing that is open"
        "x = 012\n"              | 1    | 5      | 'may not start with 0'
        "x = 3j\n"               | 1    | 5      | "'3j' is not a number"
        "x = 1 \\ 2\n"           | 1    | 7      | 'backslash outside a string'
        "x = \$\n"               | 1    | 5      | "unexpected character '\$'"
        "x = '\\xZZ'\n"          | 1    | 8      | 'hexadecimal digits'
    }

    def "a top-level line that starts indented is marked, for the parser to refuse"() {
        expect:
        kinds("x = 1\n  y = 2\n")*.get(0) == [Kind.NAME, Kind.OP, Kind.NUMBER, Kind.NEWLINE, Kind.INDENT, Kind.NAME,
                                               Kind.OP, Kind.NUMBER, Kind.NEWLINE, Kind.END]
    }

    def "Windows line ends are new lines, also inside a triple-quoted string"() {
        when:
        def tokens = PyTokens.of('x = """a\r\nb"""\r\ny = 1\r\n')

        then:
        tokens[2].value() == 'a\nb'
        tokens[4].text() == 'y'
        tokens[4].line() == 3
    }

    def "an indented comment or blank line is no indentation error"() {
        expect:
        kinds("  # indented comment\n   \nx = 1\n")*.get(0) == [Kind.NAME, Kind.OP, Kind.NUMBER, Kind.NEWLINE, Kind.END]
    }
}
