package katapult.config

import java.nio.file.Files
import java.nio.file.Path

import katapult.plan.JobPlanner
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Folders and glob patterns in upload_files and input_files: expanded on this machine into files, each landing in
 * the run's folder with its relative layout (a folder under its own name, a pattern's match under its path from the
 * config's folder); each file is its own entry of the plan's work files (sent, shared and linked as single files are).
 */
class FolderUploadsSpec extends Specification {

    @TempDir
    Path dir

    TempConfig t

    def setup() {
        t = new TempConfig(dir)
        t.file('pkg/__init__.py', '')
        t.file('pkg/sub/util.py', 'x = 1\n')
        t.file('pkg/.hidden', 'h\n')
        t.file('data/a.csv', 'a\n')
        t.file('data/b.csv', 'b\n')
        t.file('data/deep/c.csv', 'c\n')
        t.file('data/.d.csv', 'd\n')
        t.file('data/notes.txt', 'n\n')
        t.file('other/pkg/x.py', 'y\n')
    }

    JobSpec job(String entries) {
        t.load("config = [jobs: [[run_command: 'echo', $entries]]]").jobs()[0]
    }

    Map<String, String> landed(JobSpec spec) {
        (spec.uploadFiles() + spec.inputFiles()).collectEntries { [(spec.landing(it)): dir.relativize(it).toString()] }
    }

    def "a folder lands under its own name with its whole tree, hidden files too"() {
        expect:
        landed(job("upload_files: 'pkg'")) == ['pkg/.hidden': 'pkg/.hidden', 'pkg/__init__.py': 'pkg/__init__.py',
                                               'pkg/sub/util.py': 'pkg/sub/util.py']
        landed(job("upload_files: 'other/pkg/'")) == ['pkg/x.py': 'other/pkg/x.py']
    }

    def "a pattern's matches keep their path from the config's folder; * stays in one folder, ** crosses them"() {
        expect:
        landed(job("input_files: #pattern".replace('#pattern', pattern))).keySet() as List == files

        where:
        pattern               || files
        "'data/*.csv'"        || ['data/a.csv', 'data/b.csv']
        "'data/**/*.csv'"     || ['data/a.csv', 'data/b.csv', 'data/deep/c.csv']
        "'**/*.csv'"          || ['data/a.csv', 'data/b.csv', 'data/deep/c.csv']
        "'data/[ab].csv'"     || ['data/a.csv', 'data/b.csv']
        "'data/.*.csv'"       || ['data/.d.csv']
        "'data/*'"            || ['data/a.csv', 'data/b.csv', 'data/deep/c.csv', 'data/notes.txt']
    }

    def "a pattern that matches nothing, an empty folder and a folder landing on another file's name are problems with their line"() {
        given:
        Files.createDirectories(dir.resolve('empty'))
        t.file('pkg/x.py', 'z\n')

        when:
        def nothing = t.problems("config = [jobs: [[run_command: 'echo',\n input_files: ['data/*.json']]]]")
        def empty = t.messages("config = [jobs: [[run_command: 'echo', upload_files: 'empty']]]")
        def twice = t.messages("config = [jobs: [[run_command: 'echo', upload_files: ['pkg', 'other/pkg']]]]")

        then:
        nothing.any { it.line() == 2 && it.message() == "'input_files': the pattern 'data/*.json' matches no file (in $dir)".toString() }
        empty.contains("'upload_files': the folder 'empty' holds no file")
        twice.contains("'upload_files': 'other/pkg' would land in the run's folder as 'pkg/x.py', like " + dir.resolve('pkg/x.py'))
    }

    def "both config forms take folders and patterns"() {
        when:
        def spec = t.load("""katapult { job { runCommand 'echo'; uploadFiles 'pkg'; inputFiles 'data/*.csv' } }""").jobs()[0]

        then:
        spec.uploadFiles().collect { spec.landing(it) } == ['pkg/.hidden', 'pkg/__init__.py', 'pkg/sub/util.py']
        spec.inputFiles().collect { spec.landing(it) } == ['data/a.csv', 'data/b.csv']
    }

    def "the plan holds each file of a folder as its own work file, by its landing name: an unchanged file keeps its hash"() {
        when:
        def first = JobPlanner.plan(job("upload_files: 'pkg', input_files: 'data/*.csv'"), null, [], 'c.groovy')
        Files.writeString(dir.resolve('pkg/sub/util.py'), 'x = 2\n')
        def second = JobPlanner.plan(job("upload_files: 'pkg', input_files: 'data/*.csv'"), null, [], 'c.groovy')

        then:
        first.workHashes().keySet() == ['pkg/.hidden', 'pkg/__init__.py', 'pkg/sub/util.py', 'data/a.csv', 'data/b.csv'] as Set
        second.workHashes().findAll { k, v -> first.workHashes()[k] != v }.keySet() == ['pkg/sub/util.py'] as Set
        first.hash() != second.hash()
    }
}
