// A small sweep run unattended: `run` hands the session to a small maestro instance, and the laptop may close.
//
//   ./jbang katapult.java plan examples/unattended.groovy   # the workers it would create, and their price per hour
//   ./jbang katapult.java run examples/unattended.groovy    # start the maestro, hand the session over, return
//   ./jbang katapult.java status -p unattended-sweep        # later, from any terminal: what the maestro reports
//   ./jbang katapult.java wait -p unattended-sweep          # until every run finished, then fetch the results
//   ./jbang katapult.java down -p unattended-sweep          # fetch what is left, remove workers and maestro
//
// Needs AWS credentials, as examples/aws.groovy; see README, "Run unattended".
katapult {
    project 'unattended-sweep'
    provider 'aws'
    maestro 'remote'             // the session runs on a small instance of the project, not on this machine
    autoStop true                // the maestro stops the workers once every run is fetched (to its disk)

    instance {
        name 'worker'
        region 'eu-west-1'
        type 't3.large'          // 2 vCPUs
        number 2
        eco true                 // spot
        maxBid 0.05
    }

    environment 'py', {
        envPypi 'aws/requirements.txt'
    }

    job {
        name 'sweep'
        envName 'py'
        runScript 'aws/sweep.py 1 100'
        outputFiles 'fit.json'
        cpusReq 1
        repeat 4
    }
}
