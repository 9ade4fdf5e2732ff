// Katapult on machines you already have, reached over SSH: lab servers, workstations, on-prem nodes.
// Replace the hosts below with yours; you must be able to `ssh user@host` with a key (no password).
//
//   ./jbang katapult.java check examples/ssh.groovy
//   ./jbang katapult.java run examples/ssh.groovy
//   ./jbang katapult.java down --purge -p ssh-example     // removes ~/.katapult/ssh-example on each host
//
// Katapult keeps one SSH connection per host, pins each host's key at first contact (in
// .katapult/ssh-example/known_hosts) and works only inside ~/.katapult/ssh-example/ on each host.
// Runs outlive Katapult: stop it, come back later, `run` again picks the results up.
katapult {
    project 'ssh-example'
    provider 'ssh'

    // One host, every setting spelled out. Without `key`, ~/.ssh/id_ed25519, id_ecdsa or id_rsa is used
    // (an encrypted key takes its passphrase from $KATAPULT_SSH_PASSPHRASE).
    instance {
        name 'workstation'
        host 'workstation.lab.example'
        user 'researcher'
        port 22
        cpus 8          // without cpus, the host's own count (nproc) is used
    }

    // Several hosts with the same settings: one instance each, named nodes-1, nodes-2, nodes-3.
    // Each entry may carry its own user and port: [user@]host[:port].
    instance {
        name 'nodes'
        user 'researcher'
        hosts(['node1.lab.example', 'node2.lab.example', 'gpu@node3.lab.example:2222'])
    }

    environment 'py', {
        command 'python3 --version > python-version.txt'
    }

    job {
        name 'squares'
        envName 'py'
        runScript 'hello/squares.py 10 --label "squares up to ten"'
        uploadFiles 'hello/formatting.py'
        inputFiles 'hello/numbers.txt'
        outputFiles 'squares.csv'
        repeat 12
    }
}
