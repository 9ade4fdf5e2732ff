package katapult.remote

import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Specification

/**
 * The agent's scheduler as a pure function: a snapshot in (cpus, cpus in use, the queued runs in order), the
 * runs to start out. Only the function runs: no agent, no run, no file.
 */
class SchedulerSpec extends Specification {

    static final Path SCHEDULER = Path.of(System.getProperty('basedir', '.')).resolve('templates/scheduler.sh')

    /** schedule_io over the snapshot; its answer, one entry a line. */
    static List<String> schedule(String snapshot) {
        def process = new ProcessBuilder('bash', '-c', 'source "$1" && schedule_io', 'scheduler', SCHEDULER.toString())
                .redirectErrorStream(true).start()
        process.outputStream.withCloseable { it.write(snapshot.getBytes('UTF-8')) }
        def out = process.inputStream.text
        assert process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0: out
        out.readLines()
    }

    /** A snapshot with the queued runs given as "rid need since known env", 100 s after the epoch. */
    static String snapshot(int total, int used, List<String> runs, int patience = 60) {
        "total $total\nused $used\nnow 100\npatience $patience\n" + runs.collect { "run $it\n" }.join('')
    }

    def "#what"() {
        expect:
        schedule(snapshot(total, used, runs)) == out

        where:
        what                                                         | total | used | runs                                      || out
        'nothing queued, nothing starts'                             | 4     | 0    | []                                        || []
        'runs start in queue order while their cpus fit'             | 4     | 0    | ['a 2 - 0 0', 'b 2 - 0 0', 'c 1 - 0 0']   || ['start a 2', 'start b 2', 'wait c 100']
        'cpus held by running runs count'                            | 4     | 3    | ['a 1 - 0 0', 'b 1 - 0 0']                || ['start a 1', 'wait b 100']
        'a run larger than the instance runs alone, on all its cpus' | 4     | 0    | ['big 16 - 0 0', 'b 1 - 0 0']             || ['start big 4', 'wait b 100']
        'a larger run waits until the instance is empty'             | 4     | 1    | ['big 16 - 0 0']                          || ['wait big 100']
        'a run that does not fit is passed by later, smaller ones'   | 4     | 2    | ['a 3 - 0 0', 'b 2 - 0 0']                || ['wait a 100', 'start b 2']
        'a run keeps the time it started waiting'                    | 4     | 2    | ['a 3 90 1 0', 'b 2 - 0 0']               || ['wait a 90', 'start b 2']
        'after its patience, a waiting run keeps its cpus'           | 4     | 2    | ['a 3 40 1 0', 'b 2 - 0 0']               || ['wait a 40', 'wait b 100']
        'patience ends exactly at 60 s'                              | 4     | 2    | ['a 3 40 1 0', 'b 1 - 0 0']               || ['wait a 40', 'wait b 100']
        'just before, it may still be passed'                        | 4     | 2    | ['a 3 41 1 0', 'b 1 - 0 0']               || ['wait a 41', 'start b 1']
        'once a run holds its cpus, no later run passes it'          | 8     | 4    | ['a 6 0 1 0', 'b 2 - 0 0', 'c 1 - 0 0']   || ['wait a 0', 'wait b 100', 'wait c 100']
        'while every cpu is taken, runs seen before are left alone'  | 2     | 2    | ['a 1 50 1 0', 'b 1 - 0 0']               || ['wait b 100']
        '... unless they have an environment'                        | 2     | 2    | ['a 1 50 1 1']                            || ['wait a 50']
        'a run that fills the instance stops the others for the pass'| 2     | 0    | ['a 2 - 1 0', 'b 1 80 1 0', 'c 1 - 0 0']  || ['start a 2', 'wait c 100']
    }

    def "the patience is the snapshot's"() {
        expect:
        schedule(snapshot(4, 2, ['a 3 95 1 0', 'b 2 - 0 0'], 5)) == ['wait a 95', 'wait b 100']
        schedule(snapshot(4, 2, ['a 3 95 1 0', 'b 2 - 0 0'], 6)) == ['wait a 95', 'start b 2']
    }

    def "the function touches nothing but its answer"() {
        when: 'it runs with no command at all on PATH'
        def process = new ProcessBuilder('bash', '-c', 'PATH=/nonexistent; cd / && source "$1" && schedule_io',
                'scheduler', SCHEDULER.toString()).redirectErrorStream(true).start()
        process.outputStream.withCloseable { it.write(snapshot(4, 0, ['a 1 - 0 0']).getBytes('UTF-8')) }
        def out = process.inputStream.text

        then:
        process.waitFor(10, TimeUnit.SECONDS)
        out == 'start a 1\n'
    }
}
