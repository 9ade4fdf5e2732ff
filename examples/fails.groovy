// A job that fails on purpose, to show what Katapult does with it: the run is ABORTED with its exit code,
// its stderr tail is shown in the summary and by `katapult logs`, and the exit code of `run` is 1.
//
//   ./jbang katapult.java run examples/fails.groovy
//   ./jbang katapult.java logs -p fails broken
katapult {
    project 'fails'

    job {
        name 'works'
        runCommand 'echo fine > ok.txt'
        outputFiles 'ok.txt'
    }

    job {
        name 'broken'
        runCommand 'echo "about to fail" && echo "error: the input is missing" >&2 && exit 3'
    }
}
