// The seed's full configuration example in the map form (the seed's snake_case keys; Python's None is null).
// seed-config.groovy is the same configuration in the block form; both load into equal configs.
// Paths are relative to this file's folder.
config = [

    // GLOBALS
    project          : 'test',
    profile          : null,
    dev              : false,
    debug            : 1,
    maestro          : 'local',
    auto_stop        : true,
    provider         : 'aws',
    job_assign       : null,
    recover          : true,
    print_deploy     : false,
    mutualize_uploads: true,

    // INSTANCES / HARDWARE
    instances: [
        [
            region      : null,
            cloud_id    : null,
            img_id      : 'ami-077fd75cd229c811b',
            img_username: 'ubuntu',
            type        : 't2.micro',
            cpus        : null,
            gpu         : null,
            disk_size   : null,
            disk_type   : null,
            eco         : true,
            eco_life    : null,
            max_bid     : null,
            number      : 1,
            explode     : true,
        ],
    ],

    // ENVIRONMENTS / SOFTWARE
    environments: [
        [
            name              : null,
            command           : 'seed/install_julia.sh',
            env_aptget        : ['openssh-client'],
            env_conda         : 'seed/environment.yml',
            env_conda_channels: null,
            env_pypi          : 'seed/requirements.txt',
            env_julia         : ['Wavelets'],
        ],
    ],

    // JOBS / SCRIPTS
    jobs: [
        [
            env_name    : null,
            cpus_req    : null,
            run_script  : 'seed/run_remote.py 1 10',
            run_command : null,
            upload_files: ['seed/uploaded.txt'],
            input_files : 'seed/input.dat',
            output_files: 'output.dat',
            repeat      : 2,
        ],
        [
            env_name    : null,
            cpus_req    : null,
            run_script  : 'seed/run_remote.py 2 12',
            run_command : null,
            upload_files: ['seed/uploaded.txt'],
            input_files : 'seed/input.dat',
            output_files: 'output.dat',
        ],
    ],
]
