// A parameter sweep with the scripting API: 20 runs of one script with different arguments, awaited, their
// outputs collected into one CSV (results/sweep/sweep.csv).
//
//   ./jbang katapult.java script examples/sweep.groovy        (from the repository's folder)
//
// Run it again: nothing runs twice (each submitted job is found in the session, DONE).
import java.nio.file.Files
import java.nio.file.Path

import katapult.Katapult
import katapult.session.Event

Path ws = binding.hasVariable('workspace') ? workspace : Path.of('.')
def session = Katapult.open(ws, Path.of('examples/sweep/base.groovy'), { Event e ->
    if (e instanceof Event.RunChanged && e.run().state().finished()) {
        println "${e.run().job()}: ${e.run().state()}"
    }
})
try {
    session.up()
    def grid = [[0.001, 0.003, 0.01, 0.03, 0.1], [1, 2, 4, 8]].combinations()   // 5 x 4 = 20 points
    def jobs = grid.collect { lr, depth ->
        [lr: lr, depth: depth, job: session.submit {
            name "lr${lr}-d${depth}"
            runScript "model.py --lr $lr --depth $depth"
            outputFiles 'score.txt'
        }]
    }
    session.awaitAll()

    def csv = session.resultsFolder().resolve('sweep.csv')
    def score = { p -> Files.readString(p.job.output('score.txt')).trim() }
    Files.writeString(csv, 'lr,depth,score\n' + jobs.collect { p -> "${p.lr},${p.depth},${score(p)}" }.join('\n') + '\n')
    def best = jobs.max { score(it) as double }
    println "${jobs.size()} runs; best: lr=${best.lr} depth=${best.depth}; all in $csv"
    session.stop()                             // the instances stop; the results stay
} finally {
    session.close()
}
