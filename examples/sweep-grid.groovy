// A parameter sweep as one job: a grid of 3 learning rates x 2 depths x 2 seeds = 12 runs on this machine.
//
//   ./jbang katapult.java run examples/sweep-grid.groovy
//
// Each run gets its values in the placeholders of runScript (written in single quotes: '${lr}' is Katapult's, not
// Groovy's) and as KATAPULT_PARAM_LR, KATAPULT_PARAM_DEPTH, KATAPULT_PARAM_SEED. Results land in
// results/sweep-grid/train/<run>/ (run 1 to 12, the first parameter changing slowest), and
// results/sweep-grid/train/runs.csv has one row per run: its parameters, how it went, and the fields of its
// metrics.json (loss, accuracy, converged) as columns. Run it again and nothing runs twice.
katapult {
    project 'sweep-grid'

    instance { name 'box'; cpus 4 }

    job {
        name 'train'
        runScript 'sweep-grid/train.py --lr ${lr} --depth ${depth} --seed ${seed}'
        sweep lr: [0.1, 0.01, 0.001], depth: [2, 4], seed: 1..2
        metricsFile 'metrics.json'
    }
}
