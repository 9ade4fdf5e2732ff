// The seed's full configuration example in the block form (camelCase keys).
// seed-map.groovy is the same configuration in the map form; both load into equal configs.
// Paths are relative to this file's folder. null means "the default".
katapult {

    // GLOBALS
    project 'test'                 // names the state folder, the remote root and the results folder
    profile null                   // a credentials profile (aws); null for the default chain
    dev false                      // keep reusing the same instances and environments while building up a project
    debug 1                        // verbosity 0..3
    maestro 'local'                // where the maestro runs: 'local' | 'remote'
    autoStop true                  // stop the instances once the jobs are done and fetched
    provider 'aws'                 // 'local' | 'ssh' | 'aws'
    jobAssign null                 // 'random' | 'multi_knapsack' (null: multi_knapsack)
    recover true                   // save the state after every step and resume from it
    printDeploy false              // print the environments' set-up logs during deploy
    mutualizeUploads true          // one shared copy of each upload per instance (false: one per job)

    // INSTANCES / HARDWARE
    instance {
        region null                // null: the profile's region
        cloudId null               // VPC id; null: the default VPC
        imgId 'ami-077fd75cd229c811b'  // machine image, valid for the profile's region
        imgUsername 'ubuntu'       // the image's SSH user
        type 't2.micro'            // instance type
        cpus null                  // cpu budget; null: the type's count
        gpu null
        diskSize null              // GB
        diskType null              // 'standard', 'gp3', 'io1', 'io2', 'st1', ...
        eco true                   // spot instances
        ecoLife null               // e.g. '2h': an eco instance shuts itself down after that
        maxBid null                // $/hour; null: the on-demand price
        number 1                   // how many instances of this entry
        explode true               // may the cpus be split over several instances
    }

    // ENVIRONMENTS / SOFTWARE
    // envConda + envPypi: mamba builds the environment (pip packages included)
    // envConda alone: mamba; envPypi alone: a venv and pip
    environment {
        name null                          // null only when there is a single environment ('default')
        command 'seed/install_julia.sh'    // a bash file run last when deploying
        envAptget(['openssh-client'])
        envConda 'seed/environment.yml'    // a list of packages, an environment.yml, or an environment root
        envCondaChannels null              // null: conda-forge
        envPypi 'seed/requirements.txt'    // a list of packages, a requirements.txt, or a venv root
        envJulia(['Wavelets'])
    }

    // JOBS / SCRIPTS
    job {
        envName null                       // null: the only environment
        cpusReq null                       // null: 1
        runScript 'seed/run_remote.py 1 10'  // wins over runCommand
        runCommand null
        uploadFiles(['seed/uploaded.txt']) // put next to the script
        inputFiles 'seed/input.dat'        // copied into the working folder
        outputFiles 'output.dat'           // fetched into the results
        repeat 2
    }
    job {
        envName null
        cpusReq null
        runScript 'seed/run_remote.py 2 12'
        runCommand null
        uploadFiles(['seed/uploaded.txt'])
        inputFiles 'seed/input.dat'
        outputFiles 'output.dat'
    }
}
