package katapult.session

import java.nio.file.Files
import java.nio.file.Path

import katapult.config.TempConfig
import katapult.plan.Plan
import katapult.plan.Planner
import katapult.state.RunRecord
import katapult.state.RunState
import spock.lang.Specification
import spock.lang.TempDir

/** runs.csv: the rows, the metrics columns, bad metrics files, and the writer that keeps it up to date. */
class RunsTableSpec extends Specification {

    @TempDir
    Path dir

    Plan plan(String text) {
        Planner.plan(new TempConfig(dir).load(text), { 4 }, { 4 })
    }

    Plan grid() {
        plan("config = [project: 'p', jobs: [[name: 't', run_command: 'x \${a}', metrics_file: 'm.json', " +
                "sweep_params: [a: [1, 2, 3]]]]]")
    }

    RunRecord done(Plan p, int index, Path root, String metrics) {
        def uid = p.jobs()['t'].uid(index)
        def run = new RunRecord(uid, 't', index, 1, 'box', RunState.DONE, 0, 100L, 160L, null, true, true)
        if (metrics != null) {
            Files.createDirectories(root.resolve("t/$index"))
            Files.writeString(root.resolve("t/$index/m.json"), metrics)
        }
        run
    }

    def "the uids the plan computed stand for the job's own, index by index, and give the same table"() {
        given:
        def p = plan("config = [project: 'p', jobs: [[name: 't', run_command: 'x \${a}', repeat: 2, " +
                "sweep_params: [a: [1, 2, 3]]], [name: 'u', run_command: 'y', repeat: 3]]]")
        def uids = RunsTables.uidsByJob(p)
        def records = (1..6).collectEntries { i -> [(p.jobs()['t'].uid(i)): RunRecord.planned(p.jobs()['t'].uid(i), 't', i, null)] }
        def tables = new RunsTables(new Fetcher(dir), { run, why -> })

        expect:
        uids['t'].toList() == (1..6).collect { p.jobs()['t'].uid(it) }
        uids['u'].toList() == (1..3).collect { p.jobs()['u'].uid(it) }
        tables.table(p.jobs()['t'], uids['t'], records, [:]).csv() == tables.table(p.jobs()['t'], records, [:]).csv()
        tables.table(p.jobs()['t'], uids['t'], records, [:]).rows().size() == 6
    }

    def "one row per run: parameters, how it went, metrics as columns in order of first appearance"() {
        given:
        def p = grid()
        def root = dir.resolve('results')
        def records = [
                done(p, 1, root, '{"loss": 0.5, "acc": 0.9}'),
                done(p, 2, root, '{"acc": 0.8, "note": "a, \\"b\\"", "state": 1}'),
                RunRecord.planned(p.jobs()['t'].uid(3), 't', 3, null)].collectEntries { [it.uid(), it] }
        def warnings = []

        when:
        def table = new RunsTables(new Fetcher(root), { run, why -> warnings << why })
                .table(p.jobs()['t'], records, [(p.jobs()['t'].uid(1)): 0.25d])
        def lines = table.csv().readLines()

        then:
        table.columns() == ['run', 'uid', 'a', 'state', 'exit', 'attempts', 'start', 'end', 'duration', 'instance',
                            'cost', 'loss', 'acc', 'note', 'metric_state']
        lines.size() == 4
        lines[1] == "1,${p.jobs()['t'].uid(1)},1,DONE,0,1,1970-01-01T00:01:40Z,1970-01-01T00:02:40Z,60,box,0.250000,0.5,0.9,,"
        lines[2].endsWith(',,0.8,"a, ""b""",1')
        lines[3] == "3,${p.jobs()['t'].uid(3)},3,WAIT,,1,,,,,,,,,"
        warnings.isEmpty()
        table.json().runs[0].params == [a: '1']
        table.json().runs[1].metrics == [acc: '0.8', note: 'a, "b"', metric_state: '1']
    }

    def "a bad metrics file gives empty cells and one warning, and the run keeps its row: #why"() {
        given:
        def p = grid()
        def root = dir.resolve('results')
        def records = [done(p, 1, root, content)].collectEntries { [it.uid(), it] }
        def warnings = []
        def tables = new RunsTables(new Fetcher(root), { run, w -> warnings << w })

        when:
        def first = tables.table(p.jobs()['t'], records, [:])
        tables.table(p.jobs()['t'], records, [:])

        then:
        first.rows().size() == 1
        first.rows()[0].state() == 'DONE'
        first.metrics().isEmpty()
        warnings.size() == 1
        warnings[0].startsWith("metrics file 'm.json' of t/1 left out of runs.csv: ")
        warnings[0].contains(words)

        where:
        why            | content            | words
        'not JSON'     | '{"loss": '        | 'it is not JSON'
        'not an object'| '[1, 2]'           | 'not a JSON object'
        'nested'       | '{"a": {"b": 1}}'  | "field 'a' is not a number"
        'missing'      | null               | 'it is missing'
    }

    def "a CSV metrics file: a header and one row"() {
        given:
        def file = dir.resolve('m.csv')

        when:
        Files.writeString(file, 'loss,"name, full"\n0.5,"x ""y"""\n')

        then:
        MetricsFile.read(file) == [loss: '0.5', 'name, full': 'x "y"']

        when:
        Files.writeString(file, 'a,b\n1,2\n3,4\n')
        MetricsFile.read(file)

        then:
        def bad = thrown(MetricsFile.Bad)
        bad.message.contains('a header line and one row')
    }

    def "the writer rewrites a job's runs.csv whole when its runs change, and only then"() {
        given:
        def p = grid()
        def root = dir.resolve('results')
        def events = []
        def writer = new RunsCsvWriter({ p }, new Fetcher(root), { [:] }, { events << it })
        def waiting = (1..3).collect { RunRecord.planned(p.jobs()['t'].uid(it), 't', it, null) }
        def csv = root.resolve('t/runs.csv')

        when:
        writer.update(waiting)

        then:
        Files.readAllLines(csv).size() == 4
        Files.readAllLines(csv)[1].contains(',WAIT,')

        when: 'nothing changed: the file is left alone'
        Files.writeString(csv, 'touched')
        writer.update(waiting)

        then:
        Files.readString(csv) == 'touched'

        when: 'a run finished'
        writer.update([done(p, 1, root, '{"loss": 1}')] + waiting.drop(1))

        then:
        Files.readAllLines(csv)[0].endsWith(',cost,loss')
        Files.readAllLines(csv)[1].contains(',DONE,0,')
        !Files.exists(root.resolve('t/runs.csv.part'))
        events.isEmpty()
    }
}
