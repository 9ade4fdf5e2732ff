package katapult

import java.nio.file.Files
import java.nio.file.Path

import katapult.cli.Main
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** The scripts of examples/ run on the local provider, through `katapult script`, as the README says. */
@Timeout(180)
@Tag('e2e')
class ExamplesSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    Map script(String file) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), 'script', '-C', ws.toString(), file)
        [code: code, out: out.toString(), err: err.toString()]
    }

    def "examples/sweep.groovy: 20 runs with different arguments, awaited, outputs collected into one CSV"() {
        when:
        def result = script('examples/sweep.groovy')
        def csv = ws.resolve('results/sweep/sweep.csv')

        then:
        result.code == 0
        result.err == ''
        Files.readAllLines(csv)[0] == 'lr,depth,score'
        def rows = Files.readAllLines(csv).drop(1)*.split(',')
        rows.size() == 20
        rows.collect { [it[0], it[1]] }.toSet().size() == 20
        rows.every { (it[2] as double) >= 0 && (it[2] as double) < 1 }
        result.out.contains('20 runs; best: lr=0.01 depth=8')

        when: 'run again: nothing runs twice'
        def again = script('examples/sweep.groovy')

        then:
        again.code == 0
        !again.out.contains(': DONE')
        again.out.contains('20 runs; best')
    }

    Map katapult(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), args)
        [code: code, out: out.toString(), err: err.toString()]
    }

    def "examples/sweep-grid.groovy: a 12-run grid as one job, its runs.csv one row per run with the metrics as columns"() {
        when:
        def result = katapult('run', '-C', ws.toString(), 'examples/sweep-grid.groovy')
        def csv = ws.resolve('results/sweep-grid/train/runs.csv')
        def lines = Files.readAllLines(csv)
        def header = lines[0].split(',') as List
        def rows = lines.drop(1).collect { line -> [header, line.split(',', -1) as List].transpose().collectEntries() }

        then:
        result.code == 0
        header == ['run', 'uid', 'lr', 'depth', 'seed', 'state', 'exit', 'attempts', 'start', 'end', 'duration',
                   'instance', 'cost', 'loss', 'accuracy', 'converged']
        rows.size() == 12
        rows*.run == (1..12)*.toString()
        rows.collect { [it.lr, it.depth, it.seed] }.toSet().size() == 12
        rows[0].subMap(['lr', 'depth', 'seed']) == [lr: '0.1', depth: '2', seed: '1']
        rows[11].subMap(['lr', 'depth', 'seed']) == [lr: '0.001', depth: '4', seed: '2']
        rows.every { it.state == 'DONE' && it.exit == '0' && it.attempts == '1' && it.instance.startsWith('box') }
        rows.every { (it.loss as double) > 0 && (it.accuracy as double) < 1 && it.converged in ['true', 'false'] }
        rows.find { it.lr == '0.01' && it.depth == '4' }.converged == 'true'
        Files.readString(ws.resolve('results/sweep-grid/train/12/stdout.log')).startsWith('run 12 of 12: ')

        when: 'status --json carries the same table'
        def status = new com.fasterxml.jackson.databind.ObjectMapper().readValue(katapult('status', '-C', ws.toString(), '--json').out, Map)
        def table = status.jobs.find { it.job == 'train' }

        then:
        table.params == ['lr', 'depth', 'seed']
        table.metrics == ['loss', 'accuracy', 'converged']
        table.runs.size() == 12
        table.runs[0].params == [lr: '0.1', depth: '2', seed: '1']
        table.runs[0].metrics.loss == rows[0].loss
        table.runs.every { it.state == 'DONE' && it.attempts == 1 }

        when: 'run again: nothing runs twice, the table stays'
        def again = katapult('run', '-C', ws.toString(), 'examples/sweep-grid.groovy')

        then:
        again.code == 0
        Files.readAllLines(csv) == lines
    }

    def "examples/pipeline.groovy: three dependent steps, each reading the outputs of the one before"() {
        when:
        def result = script('examples/pipeline.groovy')
        def results = ws.resolve('results/pipeline')

        then:
        result.code == 0
        Files.readAllLines(results.resolve('prepare/1/words.txt')).size() == 11
        Files.readAllLines(results.resolve('count/1/counts.csv'))[0] == 'the,3'
        Files.readString(results.resolve('report/1/report.txt')).trim() == 'words: 9 distinct; top: the,3'
        result.out.contains('words: 9 distinct; top: the,3')
    }

    def "examples/plots.groovy: a folder input, a folder of images and a metrics file fetched with patterns, passed on to a later job"() {
        when:
        def result = katapult('run', '-C', ws.toString(), 'examples/plots.groovy')
        def draw = ws.resolve('results/plots/draw/1')
        def pngs = Files.walk(draw).withCloseable { s ->
            s.filter { it.toString().endsWith('.png') }.collect { draw.relativize(it).toString() }.sort()
        }

        then:
        result.code == 0
        pngs == ['plots/cool/0.png', 'plots/cool/1.png', 'plots/overview.png', 'plots/warm/0.png', 'plots/warm/1.png',
                 'plots/warm/2.png']
        Files.readAllBytes(draw.resolve('plots/warm/0.png'))[1..3] == 'PNG'.bytes as List
        Files.readString(draw.resolve('metrics.json')).trim() == '{"images": 6, "size": 16}'
        Files.readAllLines(ws.resolve('results/plots/census/1/census.txt')) == pngs + ['{"images": 6, "size": 16}']
    }

    static boolean jshellPresent() {
        Path.of(System.getProperty('java.home'), 'bin', 'jshell').toFile().canExecute()
    }

    @spock.lang.Requires(value = { ExamplesSpec.jshellPresent() }, reason = 'this JDK has no jshell')
    def "examples/explore.jsh runs in JShell on the scripting API"() {
        given: 'a copy of examples/, so the session lands in the temporary folder'
        def source = Path.of('examples')
        Files.walk(source).each { from ->
            def to = ws.resolve('examples').resolve(source.relativize(from).toString())
            Files.isDirectory(from) ? Files.createDirectories(to) : Files.copy(from, to)
        }
        def jshell = Path.of(System.getProperty('java.home'), 'bin', 'jshell').toString()
        def process = new ProcessBuilder(jshell, '--class-path', System.getProperty('java.class.path'))
                .directory(ws.toFile()).redirectErrorStream(true).start()

        when:
        process.outputStream.withWriter { it << '/open examples/explore.jsh\n/exit\n' }
        def shown = process.inputStream.text
        process.waitFor()

        then:
        !shown.contains('Error:')
        shown.contains('squares/3 DONE')
        shown.contains('top: 12 11 10')
        Files.exists(ws.resolve('results/hello/top/1/top.txt'))
    }
}
