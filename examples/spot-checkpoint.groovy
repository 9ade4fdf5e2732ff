// A long job on a spot instance that keeps its progress through interruptions (provider 'aws').
//
//   ./jbang katapult.java run examples/spot-checkpoint.groovy
//
// On a spot interruption notice the job gets SIGTERM and saves checkpoint.json (spot/count.py); Katapult
// fetches it before the instance goes, and the run's next attempt, on another instance, starts from it.
// See README, "Retries and the spot contract".
katapult {
    project 'spot-checkpoint'
    provider 'aws'

    instance {
        name 'spot'
        region 'eu-west-1'
        type 'c5.large'
        cpus 2
        number 2
        eco true                 // spot: cheaper, may be interrupted
    }

    job {
        name 'count'
        runScript 'spot/count.py 50000000'
        outputFiles 'result.txt'
        checkpointFiles 'checkpoint.json'   // fetched from a preempted attempt, placed in the next one
        maxPreemptions 20
        repeat 2
    }
}
