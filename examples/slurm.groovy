// Katapult on a Slurm cluster you already have (a university HPC system, AWS ParallelCluster): each job's runs
// go to Slurm as one job array, one task per run; states, logs and outputs come back as on any other provider.
//
//   ./jbang katapult.java check examples/slurm.groovy
//   ./jbang katapult.java plan examples/slurm.groovy      // shows the sbatch commands
//   ./jbang katapult.java run examples/slurm.groovy
//   ./jbang katapult.java down -p slurm-example           // scancels what is still queued or running
//
// Katapult works in ~/.katapult/slurm-example/ on the login node, which the compute nodes must see (a shared
// home). Runs outlive Katapult: stop it, come back later, `run` again finds its arrays and submits nothing twice.
katapult {
    project 'slurm-example'
    provider 'slurm'

    instance {
        name 'cluster'
        // Where Katapult runs the Slurm commands. No host (or 'localhost'): this machine is the login node.
        // Elsewhere: host 'login.hpc.example.org'; user 'researcher'; key '~/.ssh/id_ed25519'
        partition 'debug'
        timeLimit '10m'         // per run (--time); a run past it is ABORTED with Slurm's reason
        memPerCpu '200M'        // or mem '4G' per run
        maxParallel 3           // at most 3 runs of one job at once (the array's %3)
        // account 'my-lab'; qos 'normal'; gpu 'gpu:1'; sbatchOptions '--constraint=skylake'
    }

    job {
        name 'simulate'
        repeat 4                // one array of 4 tasks
        runCommand 'echo "$KATAPULT_RUN_ID,$SLURM_ARRAY_TASK_ID,$((RANDOM % 100))" > sample.csv'
        outputFiles 'sample.csv'
    }

    job {
        name 'wide'
        cpusReq 2               // --cpus-per-task=2
        runCommand 'echo "cpus: $SLURM_CPUS_PER_TASK" > cpus.txt'
        outputFiles 'cpus.txt'
    }

    job {
        name 'report'
        after 'simulate'        // submitted once every simulate run is DONE and fetched
        runCommand 'echo "simulate finished before report started" > report.txt'
        outputFiles 'report.txt'
    }
}
