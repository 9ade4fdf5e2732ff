package katapult.remote

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * env.sh, the environment set-up an instance runs, against stand-ins for the package managers that need the
 * internet (they record their calls), and against the real python3 venv and pip with a local wheel.
 */
@Timeout(90)
@Tag('e2e')
class EnvScriptsSpec extends Specification {

    @TempDir
    Path tmp

    ScriptsFixture host

    def setup() {
        host = new ScriptsFixture(tmp)
    }

    def cleanup() {
        host?.close()
    }

    def "every step calls its tool exactly so, in order, and a run gets the environment"() {
        given:
        host.standins('micromamba', 'julia', 'apt-get', 'id')
        host.env.KATAPULT_STANDIN_UID = '0'
        host.envSpec('all-1',
                aptget: ['libfoo-dev', 'libbar1'],
                conda: ['python=3.11', 'numpy'],
                channels: ['bioconda', 'conda-forge'],
                pypi: ['katatiny'],
                'pip-args': ['--no-index', '--find-links', 'spec/wheels'],
                julia: ['JSON', 'DataFrames'],
                command: 'echo "$KATAPULT_PYTHON $(pwd)" > command.txt; python -c "import katatiny; print(katatiny.VALUE)" >> command.txt')
        wheel(host.root.resolve('envs/all-1/spec/wheels'))
        def e = host.root.resolve('envs/all-1').toString()

        when:
        def setup = host.envSetup('all-1')

        then:
        setup.code == 0
        host.exists('envs/all-1/.ready')
        !host.exists('envs/all-1/.failed')
        host.calls() == [
                'apt-get -o DPkg::Lock::Timeout=600 update',
                'apt-get -o DPkg::Lock::Timeout=600 install -y libfoo-dev libbar1',
                'micromamba create -y -p R/envs/all-1/conda -c bioconda -c conda-forge python=3.11 numpy',
                'julia -e using Pkg; Pkg.add(ARGS) JSON DataFrames',
        ]
        host.read('envs/all-1/julia/Project.toml').contains('JSON')
        host.read('envs/all-1/command.txt') == "$e/conda/bin/python $e\n42\n"
        def activate = host.read('envs/all-1/activate')
        activate.contains("export PATH=$e/conda/bin:")
        activate.contains("export KATAPULT_PYTHON=$e/conda/bin/python")
        activate.contains("export JULIA_PROJECT=$e/julia")
        host.read('envs/all-1/setup.log').contains('environment all-1 is ready')

        when:
        host.submit('r.1', 'python -c "import katatiny, sys; print(katatiny.VALUE, sys.prefix)"; echo "$JULIA_PROJECT"', env: 'all-1')
        host.agent('start')

        then:
        host.waitState('r.1', 'DONE')
        host.read('runs/r.1/out.log') == "42 $e/conda\n$e/julia\n"
    }

    def "a normal user installs Debian packages through sudo -n"() {
        given:
        host.standins('apt-get', 'sudo', 'id')
        host.env.KATAPULT_STANDIN_UID = '1000'
        host.envSpec('apt-1', aptget: ['libfoo-dev'])

        when:
        def setup = host.envSetup('apt-1')

        then:
        setup.code == 0
        host.exists('envs/apt-1/.ready')
        host.calls() == [
                'sudo -n DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update',
                'apt-get -o DPkg::Lock::Timeout=600 update',
                'sudo -n DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y libfoo-dev',
                'apt-get -o DPkg::Lock::Timeout=600 install -y libfoo-dev',
        ]
    }

    @Requires({ new File('/usr/bin/dpkg-query').exists() })
    def "Debian packages already installed need no apt-get (nor sudo)"() {
        given:
        host.standins('apt-get', 'sudo', 'id')
        host.envSpec('apt-2', aptget: ['bash', 'coreutils'])

        when:
        def setup = host.envSetup('apt-2')

        then:
        setup.code == 0
        host.exists('envs/apt-2/.ready')
        host.calls().isEmpty()
    }

    def "conda packages and environment files go to the first of micromamba, mamba, conda: #tools"() {
        given:
        host.standins(*tools.collect { "micromamba:$it" as String })
        host.envSpec(files, 'c-1')

        when:
        def setup = host.envSetup('c-1')

        then:
        setup.code == 0
        host.calls() == [call]
        host.read('envs/c-1/activate').contains('/envs/c-1/conda/bin:')

        where:
        tools                   | files                                  || call
        ['micromamba', 'conda'] | [conda: ['numpy']]                     || 'micromamba create -y -p R/envs/c-1/conda -c conda-forge numpy'
        ['mamba', 'conda']      | [conda: ['numpy', 'scipy']]            || 'mamba create -y -p R/envs/c-1/conda -c conda-forge numpy scipy'
        ['conda']               | [conda: ['numpy'], channels: ['defaults']] || 'conda create -y -p R/envs/c-1/conda -c defaults numpy'
        ['micromamba']          | ['environment.yml': 'name: x']         || 'micromamba create -y -p R/envs/c-1/conda -f R/envs/c-1/spec/environment.yml'
        ['mamba']               | ['environment.yml': 'name: x']         || 'mamba env create -p R/envs/c-1/conda -f R/envs/c-1/spec/environment.yml'
        ['conda']               | ['environment.yml': 'name: x']         || 'conda env create -p R/envs/c-1/conda -f R/envs/c-1/spec/environment.yml'
    }

    def "a set-up fails with the step, its exit code or a clear reason, and keeps its log: #why"() {
        given:
        host.standins(*standins)
        host.env.putAll(env)
        host.envSpec(files, 'f-1')

        when:
        def setup = host.envSetup('f-1')

        then:
        setup.code == 1
        host.read('envs/f-1/.failed').trim() == reason
        !host.exists('envs/f-1/.ready')
        !host.exists('envs/f-1/activate')
        host.read('envs/f-1/setup.log').contains(logged)

        where:
        why            | standins       | env                          | files                                             || reason                                                                                       | logged
        'no conda'     | []             | [:]                          | [conda: ['numpy']]                                || 'conda packages need micromamba, mamba or conda, and none is installed: install micromamba (https://mamba.readthedocs.io/en/latest/installation/micromamba-installation.html)' | 'none is installed'
        'no julia'     | []             | [:]                          | [julia: ['JSON']]                                 || 'julia packages need julia, and it is not installed: install it with juliaup (https://julialang.org/downloads/)' | 'julia'
        'conda fails'  | ['micromamba'] | [KATAPULT_STANDIN_FAIL: '1'] | [conda: ['numpy']]                                || 'micromamba create failed (exit 1)'                                                          | 'micromamba stand-in: failing'
        'pip fails'    | ['micromamba'] | [:]                          | [conda: ['python'], pypi: ['notthere'], 'pip-args': ['--no-index']] || 'pip install failed (exit 1)'                                   | 'notthere'
        'command fails'| []             | [:]                          | [command: 'echo about to fail; exit 7']           || 'command failed (exit 7)'                                                                    | 'about to fail'
    }

    def "pip installs a local wheel into a fresh venv, and a run imports it"() {
        given:
        host.envSpec('py-1', pypi: ['katatiny==0.1'], 'pip-args': ['--no-index', '--find-links', 'spec/wheels'])
        wheel(host.root.resolve('envs/py-1/spec/wheels'))
        host.submit('r.1', 'python -c "import katatiny; print(katatiny.VALUE)"; "$KATAPULT_PYTHON" -c "import sys; print(sys.prefix)"', env: 'py-1')
        def e = host.root.resolve('envs/py-1').toString()

        when:
        host.agent('start')

        then:
        host.waitState('r.1', 'DONE', 60)
        host.read('runs/r.1/out.log') == "42\n$e/venv\n"
        host.read('envs/py-1/setup.log').contains('katatiny')
        host.pollLines().find { it[0] == 'env' } == ['env', 'py-1', 'READY', '-']
    }

    def "an existing venv is used as it is (a leading ~/ is the home)"() {
        given:
        def venv = host.home.resolve('existing')
        def made = host.bash(['python3', '-m', 'venv', '--without-pip', venv.toString()])
        assert made.code == 0: made.toString()
        host.envSpec('v-1', 'venv-root': '~/existing')

        when:
        def setup = host.envSetup('v-1')

        then:
        setup.code == 0
        host.read('envs/v-1/activate').contains("export PATH=$venv/bin:")
        host.read('envs/v-1/activate').contains("export KATAPULT_PYTHON=$venv/bin/python")
        !host.exists('envs/v-1/venv')

        when:
        host.submit('r.1', 'python -c "import sys; print(sys.prefix)"', env: 'v-1')
        host.agent('start')

        then:
        host.waitState('r.1', 'DONE')
        host.read('runs/r.1/out.log') == "$venv\n"
    }

    def "stop interrupts a set-up, which stays pending until the next start"() {
        given:
        host.envSpec('slow-1', command: 'touch "$HOME/began"; sleep 30')
        host.submit('r.1', 'echo ran', env: 'slow-1')
        host.agent('start')
        host.waitFor { Files.exists(host.home.resolve('began')) }

        when:
        host.agent('stop')

        then:
        host.processes().values().every { !it.contains('sleep') }
        !host.exists('envs/slow-1/.setup')
        !host.exists('envs/slow-1/.failed')
        host.pollLines() == [['agent', 'none'], ['env', 'slow-1', 'PENDING', '-'], ['run', 'r.1', 'WAIT', '-', '-', '-', '-', '-']]

        when:
        host.write('envs/slow-1/spec/command', 'echo quick')
        host.agent('start')

        then:
        host.waitState('r.1', 'DONE')
        host.read('runs/r.1/out.log') == 'ran\n'
    }

    def "a set-up interrupted three times fails"() {
        given:
        host.envSpec('crash-1', command: 'true')
        host.write('envs/crash-1/.setup', '999999999 1 x\n')
        host.write('envs/crash-1/.attempts', '2\n')
        host.submit('r.1', 'echo never', env: 'crash-1')

        when:
        host.agent('start')

        then:
        host.waitState('r.1', 'ABORTED')
        host.read('runs/r.1/reason') == 'environment crash-1 failed: set-up was interrupted 3 times (see setup.log)\n'
    }

    /** A pure-python wheel katatiny 0.1 (module katatiny, VALUE = 42), written with java.util.zip. */
    static Path wheel(Path dir) {
        Files.createDirectories(dir)
        Map<String, String> files = [
                'katatiny.py'                     : 'VALUE = 42\n',
                'katatiny-0.1.dist-info/METADATA' : 'Metadata-Version: 2.1\nName: katatiny\nVersion: 0.1\n',
                'katatiny-0.1.dist-info/WHEEL'    : 'Wheel-Version: 1.0\nGenerator: katapult-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
        ]
        String record = files.collect { name, text ->
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8)
            String digest = Base64.urlEncoder.withoutPadding().encodeToString(MessageDigest.getInstance('SHA-256').digest(bytes))
            "$name,sha256=$digest,${bytes.length}"
        }.join('\n') + '\nkatatiny-0.1.dist-info/RECORD,,\n'
        files['katatiny-0.1.dist-info/RECORD'] = record
        Path whl = dir.resolve('katatiny-0.1-py3-none-any.whl')
        new ZipOutputStream(Files.newOutputStream(whl)).withCloseable { zip ->
            files.each { name, text ->
                zip.putNextEntry(new ZipEntry(name))
                zip.write(text.getBytes(StandardCharsets.UTF_8))
                zip.closeEntry()
            }
        }
        whl
    }
}
