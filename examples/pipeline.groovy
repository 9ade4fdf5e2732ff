// Three dependent steps with the scripting API: each starts when the one before it is DONE, and finds its outputs
// in its working folder (`after`). prepare → count → report.
//
//   ./jbang katapult.java script examples/pipeline.groovy      (from the repository's folder)
import java.nio.file.Files
import java.nio.file.Path

import katapult.Katapult

Path ws = binding.hasVariable('workspace') ? workspace : Path.of('.')
def session = Katapult.open(ws, Path.of('examples/pipeline/base.groovy'), { })
try {
    session.submit {
        name 'prepare'
        inputFiles 'text.txt'
        runCommand 'tr " " "\\n" < text.txt | grep -v "^$" > words.txt'
        outputFiles 'words.txt'
    }
    session.submit {
        name 'count'
        after 'prepare'                        // words.txt arrives in its folder
        runCommand 'sort words.txt | uniq -c | sort -rn | awk \'{print $2 "," $1}\' > counts.csv'
        outputFiles 'counts.csv'
    }
    def report = session.submit {
        name 'report'
        after 'count'                          // counts.csv arrives in its folder
        runCommand 'echo "words: $(wc -l < counts.csv) distinct; top: $(head -1 counts.csv)" > report.txt'
        outputFiles 'report.txt'
    }
    report.await()                             // drives the two steps before it
    println Files.readString(report.output('report.txt')).trim()
    session.stop()                             // the instances stop; the results stay
} finally {
    session.close()
}
