package katapult.config

import spock.lang.Specification

/**
 * An output entry as Katapult reads it: a file, a folder or a bash glob pattern, optional with a trailing '?'; which
 * names it brings is what Fetcher accepts from an instance's tar (anything else is refused).
 */
class OutputEntrySpec extends Specification {

    def "'#written' brings '#name': #brings"() {
        expect:
        OutputEntry.of(written).matches(name) == brings

        where:
        written           | name                   || brings
        'result.csv'      | 'result.csv'           || true
        'result.csv'      | 'other.csv'            || false
        'ckpt/'           | 'ckpt/a/b/state.pt'    || true
        'ckpt/'           | 'ckpt'                 || false
        'ckpt/'           | 'ckpt2/x'              || false
        'plots/*.png'     | 'plots/a.png'          || true
        'plots/*.png'     | 'plots/sub/a.png'      || false
        'plots/*.png'     | 'plots/a.pngx'         || false
        'plots/**/*.png'  | 'plots/a.png'          || true
        'plots/**/*.png'  | 'plots/x/y/a.png'      || true
        '**/*.json'       | 'm.json'               || true
        '**/*.json'       | 'a/b/m.json'           || true
        '**/*.json'       | 'a/b/m.jsonl'          || false
        'run-?.txt'       | 'run-1.txt'            || true
        'run-?.txt'       | 'run-12.txt'           || false
        'seed[12].csv'    | 'seed2.csv'            || true
        'seed[!12].csv'   | 'seed2.csv'            || false
        'seed[!12].csv'   | 'seed3.csv'            || true
        'a.b*'            | 'aXb'                  || false
        'out/*'           | 'out/d/x'              || false
        'plots/*.png?'    | 'plots/a.png'          || true
    }

    def "a trailing ? marks an entry optional and is not part of its path"() {
        expect:
        OutputEntry.of(written) == new OutputEntry(path, optional)
        OutputEntry.of(written).many() == many

        where:
        written          || path           | optional | many
        'a.txt'          || 'a.txt'        | false    | false
        'a.txt?'         || 'a.txt'        | true     | false
        'plots/*.png?'   || 'plots/*.png'  | true     | true
        'ckpt/?'         || 'ckpt/'        | true     | true
        'img??'          || 'img?'         | true     | true
    }

    def "check reads outputs: folders and patterns kept as written, the optional mark kept; checkpoint files stay single files"() {
        given:
        def t = new TempConfig(java.nio.file.Files.createTempDirectory('oe'))

        expect:
        t.load("config = [jobs: [[run_command: 'echo', output_files: ['./plots/*.png?', 'ckpt/', 'a//b.txt']]]]")
                .jobs()[0].outputFiles() == ['plots/*.png?', 'ckpt/', 'a/b.txt']
        t.messages("config = [jobs: [[run_command: 'echo', output_files: ['../x/*.png']]]]")
                .contains("'output_files': '../x/*.png' must stay inside the job's working folder (no '..')")
        t.messages("config = [jobs: [[run_command: 'echo', checkpoint_files: ['ckpt/*.pt']]]]")
                .contains("'checkpoint_files': 'ckpt/*.pt' must name one file (no folder, no pattern)")
    }
}
