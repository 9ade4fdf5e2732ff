package katapult.terminal

import java.nio.charset.StandardCharsets

import katapult.session.RunView
import katapult.session.Status
import katapult.state.InstanceRecord
import katapult.state.RunRecord
import katapult.state.RunState
import spock.lang.Specification

/** The status tables: columns padded to their widest cell, trailing blanks cut, every row printed once. */
class TablesSpec extends Specification {

    def "columns are padded to the widest cell plus two, the last column is not, trailing blanks are cut"() {
        given:
        def rows = [['A', 'BB', 'C'] as String[], ['long', 'x', 'tail  '] as String[], ['y', '', ''] as String[]]

        expect:
        print { Tables.table(rows, it) } == 'A     BB  C\nlong  x   tail\ny\n'.replace('\n', System.lineSeparator())
    }

    def "a table larger than one write chunk prints exactly what one line at a time with String.format printed"() {
        given: 'rows of several widths, well past 64 KiB of text'
        def rows = [['RUN', 'ID', 'NOTE'] as String[]]
        (1..20_000).each { i -> rows.add(["j/$i".toString(), 'x' * (i % 7), i % 3 == 0 ? 'why ' : ''] as String[]) }

        expect:
        print { Tables.table(rows, it) } == formatted(rows)
    }

    def "each instance counts its own runs by state; runs not placed count for none"() {
        given:
        def instances = [new InstanceRecord('a', 'local', 'a', 2, 'RUNNING', 1, null, []),
                         new InstanceRecord('b', 'local', 'b', 2, 'RUNNING', 1, null, []),
                         new InstanceRecord('c', 'local', 'c', 2, 'STOPPED', 1, null, [])]
        def runs = [view('1', 'a', RunState.DONE), view('2', 'a', RunState.DONE), view('3', 'a', RunState.RUNNING),
                    view('4', 'b', RunState.ABORTED), view('5', null, RunState.WAIT)]
        def text = print { Tables.print(new Status('p', true, instances, runs), it, false) }

        expect:
        text =~ /(?m)^a\s+local\s+RUNNING\s+2\s+1 RUNNING, 2 DONE$/
        text =~ /(?m)^b\s+local\s+RUNNING\s+2\s+1 ABORTED$/
        text =~ /(?m)^c\s+local\s+STOPPED\s+2\s+-$/
        text.contains('(5 runs)')
    }

    private static RunView view(String uid, String instance, RunState state) {
        new RunView(RunRecord.planned(uid, 'j', uid as int, instance).withState(state, null, null, null, null), '')
    }

    /** What the table printed before: String.format per cell, one println per line. */
    private static String formatted(List<String[]> rows) {
        int[] widths = new int[rows[0].length]
        rows.each { row -> row.eachWithIndex { cell, c -> widths[c] = Math.max(widths[c], cell.length()) } }
        rows.collect { row ->
            def line = new StringBuilder()
            row.eachWithIndex { cell, c ->
                line.append(c == row.length - 1 ? cell : String.format('%-' + (widths[c] + 2) + 's', cell))
            }
            line.toString().stripTrailing() + System.lineSeparator()
        }.join('')
    }

    private static String print(Closure<?> printing) {
        def bytes = new ByteArrayOutputStream()
        def out = new PrintStream(bytes, true, StandardCharsets.UTF_8)
        printing(out)
        out.flush()
        bytes.toString(StandardCharsets.UTF_8)
    }
}
