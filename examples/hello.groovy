// Katapult's first example. It runs on this machine (provider 'local', the default): each instance is a
// sandbox folder under .katapult/hello/local/, so no account and no network are needed.
//
//   ./jbang katapult.java run examples/hello.groovy
//
// Results land in results/hello/<job>/<repeat>/; run it again and nothing is run twice.
katapult {
    project 'hello'

    instance {
        name 'box'
        cpus 2          // each sandbox runs at most 2 cpus' worth of runs at once
        number 2        // two sandboxes: box-1 and box-2
    }

    environment 'py', {
        // The set-up command runs once per instance, before any job that needs the environment.
        command 'python3 --version > python-version.txt'
    }

    job {
        name 'squares'
        envName 'py'
        runScript 'hello/squares.py 10 --label "squares up to ten"'
        uploadFiles 'hello/formatting.py'      // sits next to the script: squares.py imports it
        inputFiles 'hello/numbers.txt'         // read by the script from its working folder
        outputFiles 'squares.csv'              // fetched into results/hello/squares/<repeat>/
        repeat 3
        cpusReq 1
    }

    job {
        name 'count'
        runCommand 'wc -l < numbers.txt > count.txt && echo "counted $(cat count.txt) lines"'
        inputFiles 'hello/numbers.txt'
        outputFiles 'count.txt'
    }
}
