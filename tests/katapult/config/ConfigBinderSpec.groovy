package katapult.config

import java.nio.file.Path
import java.time.Duration
import katapult.config.EnvironmentSpec.SetupCommand
import katapult.config.PackageSource.ExistingRoot
import katapult.config.PackageSource.Packages
import katapult.config.PackageSource.SpecFile
import spock.lang.Specification
import spock.lang.TempDir

/** The rules the binder applies, each checked in both forms where the form matters. */
class ConfigBinderSpec extends Specification {

    @TempDir
    Path dir

    TempConfig t

    def setup() {
        t = new TempConfig(dir)
        t.file('run.py', 'print(1)\n')
        t.file('in.dat', '1\n')
        t.file('data/a.txt', 'a\n')
        t.file('requirements.txt', 'numpy\n')
        t.file('environment.yml', 'name: x\n')
        t.file('setup.sh', 'echo hi\n')
        t.folder('venv')
        t.folder('wheels')
    }

    /** A map-form config with one job holding {@code entries}. */
    static String mapJob(String entries, String globals = '') {
        "config = [ $globals jobs: [[ $entries ]] ]"
    }

    /** A block-form config with one job holding {@code body}. */
    static String blockJob(String body, String globals = '') {
        "katapult {\n $globals\n job { $body }\n}"
    }

    // ------------------------------------------------------------------------------------------ defaults

    def "an almost empty config gets every default (#form form)"() {
        when:
        Config c = t.load(text, 'my-project.groovy')

        then:
        c.project() == 'my-project'
        c.source() == dir.resolve('my-project.groovy')
        c.profile() == null
        !c.dev()
        c.debug() == 1
        c.maestro() == Config.Maestro.LOCAL
        c.autoStop()
        c.provider() == Config.ProviderKind.LOCAL
        c.jobAssign() == Config.JobAssign.MULTI_KNAPSACK
        c.recover()
        !c.printDeploy()
        c.mutualizeUploads()

        and: 'the instance'
        with(c.instances()[0]) {
            name() == 'local-1'
            cpus() == Runtime.runtime.availableProcessors()
            number() == 1
            explode()
            settings() == new LocalSettings()
            aws() == AwsSettings.NONE
            ssh() == SshHostSettings.NONE
        }

        and: 'the lone environment is named default, and the job runs in it'
        c.environments()*.name() == ['default']
        with(c.jobs()[0]) {
            envName() == 'default'
            cpusReq() == 1
            repeat() == 1
            after() == []
            uploadFiles() == []
            name() ==~ /echo-[0-9a-f]{6}/
        }

        where:
        form    | text
        'map'   | "config = [instances: [[:]], environments: [[env_pypi: 'numpy']], jobs: [[run_command: 'echo hi']]]"
        'block' | "katapult { instance { }; environment { envPypi 'numpy' }; job { runCommand 'echo hi' } }"
    }

    def "null means the default, as Python's None did in the seeds"() {
        when:
        Config c = t.load('''config = [
            project: null, profile: null, dev: null, debug: null, maestro: null, auto_stop: null,
            provider: null, job_assign: null, recover: null, print_deploy: null, mutualize_uploads: null,
            instances: [[name: null, cpus: null, number: null, explode: null, eco: null, eco_life: null]],
            environments: [[name: null, command: null, env_aptget: null, env_conda: null, env_conda_channels: null,
                            env_pypi: null, env_julia: null]],
            jobs: [[env_name: null, cpus_req: null, run_script: null, run_command: 'echo', upload_files: null,
                    input_files: null, output_files: null, repeat: null, after: null]],
        ]''', 'nulls.groovy')

        then:
        c.project() == 'nulls'
        c.jobAssign() == Config.JobAssign.MULTI_KNAPSACK
        c.autoStop()
        c.instances()[0].number() == 1
        c.instances()[0].explode()
        c.environments()[0] == new EnvironmentSpec('default', null, [], null, [], null, [], null, null, false)
        c.jobs()[0].cpusReq() == 1
        c.jobs()[0].envName() == 'default'
    }

    def "the #provider provider gets its own instance defaults"() {
        when:
        Config c = t.load("config = [provider: '$provider', instances: [[type: 't3.micro', host: 'h']]]")

        then:
        with(c.instances()[0]) {
            name() == "$provider-1"
            cpus() == expectedCpus
            aws().imgUsername() == expectedUser
            ssh().port() == expectedPort
            aws().sshPort() == expectedSshPort
        }

        where:
        provider || expectedCpus                           | expectedUser | expectedPort | expectedSshPort
        'local'  || Runtime.runtime.availableProcessors() | null         | null         | null
        'ssh'    || null                                   | null         | 22           | null
        'aws'    || null                                   | 'ubuntu'     | null         | 22
    }

    def "unnamed instances are numbered by their place: #names"() {
        expect:
        t.load(text).instances()*.name() == names

        where:
        text                                                                         || names
        "config = [instances: [[cpus: 1], [name: 'gpu', cpus: 1], [cpus: 1]]]"       || ['local-1', 'gpu', 'local-3']
        "katapult { provider 'ssh'; instance { host 'a' }; instance { host 'b' } }"  || ['ssh-1', 'ssh-2']
    }

    def "the project defaults to the file's name, which must then be a valid name"() {
        expect:
        t.load("config = [:]", 'exp.v2_final-run.groovy').project() == 'exp.v2_final-run'
        t.messages('config = [:]', 'my config.groovy').contains(
                "the project is named after the file, but 'my config' is not a valid name")
        t.load("config = [project: 'ok']", 'my config.groovy').project() == 'ok'
    }

    // --------------------------------------------------------------------------------------- value types

    def "#key = #value is refused: #expected (#form form)"() {
        given:
        String text = form == 'map'
                ? mapJob("run_command: 'echo', $key: $value")
                : blockJob("runCommand 'echo'; ${ConfigKeys.camel(key)}($value)")

        expect:
        t.problems(text).any { it.message().contains(expected) && it.line() > 0 }

        where:
        [key, value, expected, form] << [
                ['repeat', "'three'", "must be a whole number ≥ 1, got 'three' (String)"],
                ['repeat', '0', 'must be a whole number ≥ 1, got 0 (Integer)'],
                ['repeat', '2.5', 'must be a whole number ≥ 1, got 2.5 (BigDecimal)'],
                ['repeat', 'true', 'must be a whole number ≥ 1, got true (Boolean)'],
                ['cpus_req', '-1', 'must be a whole number ≥ 1, got -1 (Integer)'],
                ['cpus_req', "'2'", "must be a whole number ≥ 1, got '2' (String)"],
                ['env_name', '3', 'must be a string, got 3 (Integer)'],
                ['name', "['a']", "must be a string, got ['a'] (List)"],
                ['upload_files', '5', 'must be a string or a list of strings, got 5 (Integer)'],
                ['output_files', "['a.txt', 3]", 'must hold strings, got 3 (Integer)'],
                ['after', '[a: 1]', 'must be a string or a list of strings, got a map (Map)'],
        ].collectMany { row -> ['map', 'block'].collect { row + it } }
    }

    def "whole-number keys take whole numbers ≥ 1: #key #value gives #expected"() {
        given:
        String entry = "$key: $value"
        String text = block == 'instance' && key == 'port'
                ? "config = [provider: 'ssh', instances: [[host: 'h', $entry]]]"
                : block == 'instance'
                ? "config = [provider: 'aws', instances: [[type: 't', $entry]]]"
                : mapJob("run_command: 'echo', $entry")
        Config c = expected instanceof Integer ? t.load(text) : null
        String messages = expected instanceof Integer ? '' : t.messages(text)

        expect:
        expected instanceof Integer
                ? (block == 'instance' ? [c.instances()[0], c.instances()[0].aws(), c.instances()[0].ssh()]
                        .find { it.metaClass.respondsTo(it, ConfigKeys.camel(key)) }."${ConfigKeys.camel(key)}"() : c.jobs()[0]."${ConfigKeys.camel(key)}"()) == expected
                : messages.contains(expected)

        where:
        block      | key         | value       || expected
        'instance' | 'cpus'      | '8'         || 8
        'instance' | 'cpus'      | '8.0'       || 8
        'instance' | 'cpus'      | '0'         || "'cpus' must be a whole number ≥ 1, got 0 (Integer)"
        'instance' | 'number'    | '3'         || 3
        'instance' | 'number'    | "'3'"       || "'number' must be a whole number ≥ 1, got '3' (String)"
        'instance' | 'disk_size' | '100'       || 100
        'instance' | 'disk_size' | '-5'        || "'disk_size' must be a whole number ≥ 1"
        'instance' | 'port'      | '2222'      || 2222
        'instance' | 'port'      | '70000'     || "'port' must be a port number (1 to 65535), got 70000 (Integer)"
        'instance' | 'ssh_port'  | '2200'      || 2200
        'instance' | 'ssh_port'  | '0'         || "'ssh_port' must be a port number"
        'job'      | 'cpus_req'  | '2'         || 2
        'job'      | 'repeat'    | '10'        || 10
        'job'      | 'repeat'    | '1.5'       || "'repeat' must be a whole number"
    }

    def "#key takes true or false, not #value"() {
        expect:
        t.messages("config = [$key: $value]").contains("'$key' must be true or false, got $shown")

        where:
        key                 | value   || shown
        'dev'               | "'yes'" || "'yes' (String)"
        'auto_stop'         | '1'     || '1 (Integer)'
        'recover'           | "'no'"  || "'no' (String)"
        'print_deploy'      | '0'     || '0 (Integer)'
        'mutualize_uploads' | "'on'"  || "'on' (String)"
    }

    def "'#key' accepts '#value' as #expected"() {
        expect:
        t.load("config = [$key: '$value']")."${ConfigKeys.camel(key)}"() == expected

        where:
        key          | value            || expected
        'provider'   | 'local'          || Config.ProviderKind.LOCAL
        'provider'   | 'AWS'            || Config.ProviderKind.AWS
        'maestro'    | 'local'          || Config.Maestro.LOCAL
        'job_assign' | 'random'         || Config.JobAssign.RANDOM
        'job_assign' | 'multi_knapsack' || Config.JobAssign.MULTI_KNAPSACK
        'job_assign' | 'multi-knapsack' || Config.JobAssign.MULTI_KNAPSACK
    }

    def "an unknown #key lists the allowed values: #expected"() {
        expect:
        t.messages("config = [$key: $value]").contains(expected)

        where:
        key          | value      || expected
        'provider'   | "'azure'"  || "'provider' must be one of local, ssh, aws, slurm; got 'azure'"
        'provider'   | "'ssj'"    || "got 'ssj'; did you mean 'ssh'?"
        'maestro'    | "'cloud'"  || "'maestro' must be one of local, remote; got 'cloud'"
        'job_assign' | "'rando'"  || "must be one of random, multi_knapsack; got 'rando'; did you mean 'random'?"
        'job_assign' | '2'        || "'job_assign' must be one of 'random', 'multi_knapsack', got 2 (Integer)"
        'debug'      | '4'        || "'debug' must be 0, 1, 2 or 3, got 4 (Integer)"
        'debug'      | '-1'       || "'debug' must be 0, 1, 2 or 3, got -1 (Integer)"
    }

    def "maestro 'lambda' is refused at its file and line, naming 'remote' as the way to run unattended"() {
        when:
        def problems = t.problems("config = [provider: 'aws',\n maestro: 'lambda']", 'cfg.groovy')

        then:
        problems.size() == 1
        problems[0].file().endsWith('cfg.groovy')
        problems[0].line() == 2
        problems[0].message().contains("'maestro' 'lambda' is not supported")
        problems[0].message().contains("use 'remote' to run unattended")
    }

    def "a remote maestro needs a cloud provider"() {
        expect:
        t.messages("config = [maestro: 'remote']").contains("'maestro' remote runs the maestro on an instance")
        t.load("config = [maestro: 'remote', provider: 'aws']").maestro() == Config.Maestro.REMOTE
    }

    def "eco_life #value reads as #expected"() {
        given:
        String text = "config = [provider: 'aws', instances: [[type: 't', eco: true, eco_life: $value]]]"

        expect:
        expected instanceof Duration
                ? t.load(text).instances()[0].aws().ecoLife() == expected
                : t.messages(text).contains(expected)

        where:
        value                                                || expected
        "'90m'"                                              || Duration.ofMinutes(90)
        "'1h30m'"                                            || Duration.ofMinutes(90)
        "'1d'"                                               || Duration.ofDays(1)
        "'45s'"                                              || Duration.ofSeconds(45)
        'Duration.ofHours(2)'                                || Duration.ofHours(2)
        'use(groovy.time.TimeCategory) { 3.hours }'          || Duration.ofHours(3)
        '90'                                                 || "'eco_life' needs a unit, got 90 (Integer); write it with a unit: '45s', '90m', '2h', '1d' or '1h30m'"
        "'90'"                                               || "'eco_life' needs a unit, got '90'"
        "'soon'"                                             || "'eco_life' is not a duration, got 'soon'"
        "'0m'"                                               || "'eco_life' must be longer than zero"
        'true'                                               || "'eco_life' must be a duration such as '90m' or '2h', got true (Boolean)"
    }

    def "max_bid #value gives #expected"() {
        given:
        String text = "config = [provider: 'aws', instances: [[type: 't', max_bid: $value]]]"

        expect:
        expected instanceof Double
                ? t.load(text).instances()[0].aws().maxBid() == expected
                : t.messages(text).contains(expected)

        where:
        value    || expected
        '0.25'   || 0.25d
        '1'      || 1.0d
        '0'      || "'max_bid' must be a number > 0 (\$ per hour), got 0 (Integer)"
        "'0.1'"  || "'max_bid' must be a number > 0"
    }

    def "ssh_cidr must look like a CIDR block"() {
        expect:
        t.load("config = [provider: 'aws', instances: [[type: 't', ssh_cidr: '203.0.113.7/32']]]").instances()[0].aws().sshCidr() == '203.0.113.7/32'
        t.messages("config = [provider: 'aws', instances: [[type: 't', ssh_cidr: '203.0.113.7']]]").contains(
                "'ssh_cidr' must be a CIDR block such as '203.0.113.7/32'")
    }

    def "an ssh_cidr open to every address (#cidr) is refused unless ssh_open says so, naming file:line:key"() {
        when:
        def problems = t.problems("""config = [provider: 'aws',
            instances: [[type: 't', ssh_cidr: '${cidr}']]]""")

        then:
        problems.size() == 1
        problems[0].toString().contains('cfg.groovy:2:')
        problems[0].message().contains("'ssh_cidr' ${cidr} lets every address on the internet try to log in")
        problems[0].message().contains("'ssh_open true'")

        and: 'block form, allowed'
        t.load("""katapult { provider 'aws'; sshOpen true
            instance { type 't'; sshCidr '${cidr}' } }""").instances()[0].aws().sshCidr() == cidr

        where:
        cidr << ['0.0.0.0/0', '::/0']
    }

    def "retry_budget is a duration, five minutes by default"() {
        expect:
        t.load("config = [provider: 'aws', instances: [[type: 't']]]").retryBudget() == Duration.ofMinutes(5)
        t.load("katapult { provider 'aws'; retryBudget '90s'; instance { type 't' } }").retryBudget() == Duration.ofSeconds(90)
        t.messages("config = [provider: 'aws', retry_budget: 3, instances: [[type: 't']]]").contains("'retry_budget' needs a unit")
    }

    // ---------------------------------------------------------------------------------------- providers

    def "each provider requires its own keys: #expected"() {
        expect:
        t.messages(text).contains(expected)

        where:
        text                                                                   || expected
        "config = [provider: 'ssh', instances: [[user: 'me']]]"                || "instance 'ssh-1' needs 'host' (the machine to reach) with the ssh provider"
        "katapult { provider 'aws'; instance { name 'x'; cpus 2 } }"           || "instance 'x' needs 'type' (an instance type such as 't3.large') with the aws provider"
        "config = [provider: 'ssh', instances: [[host: 'h', key: 'nope']]]"    || "'key': no such file 'nope'"
    }

    def "keys of another provider are accepted silently"() {
        when:
        Config c = t.load("""config = [instances: [[cpus: 2, type: 't3.micro', host: 'h', key: 'nope', region: 'r',
                                                    eco: true, ssh_cidr: '10.0.0.0/8']]]""")

        then:
        c.provider() == Config.ProviderKind.LOCAL
        c.instances()[0].cpus() == 2
        c.instances()[0].settings() == new LocalSettings() // checked, then left out: the local provider reads none
    }

    def "ssh hosts listed with hosts give one instance each, with the entry's settings as defaults (#form)"() {
        when:
        Config c = t.load(text)

        then:
        c.instances()*.name() == ['lab-1', 'lab-2', 'lab-3']
        c.instances()*.ssh()*.host() == ['a.example', 'b.example', '10.0.0.7']
        c.instances()*.ssh()*.port() == [22, 2222, 22]
        c.instances()*.ssh()*.user() == ['me', 'me', 'root']
        c.instances()*.cpus() == [4, 4, 4]
        c.instances().every { it.number() == 1 && !it.explode() }

        where:
        form    | text
        'block' | "katapult { provider 'ssh'; instance { name 'lab'; user 'me'; cpus 4; hosts(['a.example', 'b.example:2222', 'root@10.0.0.7']) } }"
        'map'   | "config = [provider: 'ssh', instances: [[name: 'lab', user: 'me', cpus: 4, hosts: ['a.example', 'b.example:2222', 'root@10.0.0.7']]]]"
    }

    def "hosts mistakes with ssh: #expected"() {
        expect:
        t.messages(text).contains(expected)

        where:
        text                                                                                  || expected
        "config = [provider: 'ssh', instances: [[host: 'a', number: 2]]]"                     || "'number' does not apply to the ssh provider (one entry is one host; list several with 'hosts')"
        "katapult { provider 'ssh'; instance { host 'a'; number 2 } }"                         || "'number' does not apply to the ssh provider (one entry is one host; list several with 'hosts')"
        "config = [provider: 'ssh', instances: [[host: 'a', hosts: ['b']]]]"                  || "give 'host' or 'hosts', not both"
        "config = [provider: 'ssh', instances: [[hosts: []]]]"                                || "'hosts' lists no host"
        "config = [provider: 'ssh', instances: [[hosts: ['a', 'b c']]]]"                      || "'hosts': 'b c' is not [user@]host[:port]"
        "config = [provider: 'ssh', instances: [[hosts: ['a:99999']]]]"                       || "'hosts': 'a:99999' is not [user@]host[:port]"
        "config = [provider: 'ssh', instances: [[hosts: ['a', 'a']]]]"                        || "'hosts' lists 'a' twice"
        "config = [provider: 'ssh', instances: [[name: 'x-1', host: 'h'], [name: 'x', hosts: ['a', 'b']]]]" || "two instances are named 'x-1'"
    }

    def "an ssh entry without cpus leaves them to the host; number 1 is accepted and explode ignored"() {
        when:
        def spec = t.load("config = [provider: 'ssh', instances: [[host: 'a', number: 1, explode: true, cpus: null]]]").instances()[0]

        then:
        spec.cpus() == null
        spec.number() == 1
        !spec.explode()
    }

    def "an ssh key is an absolute path"() {
        given:
        t.file('keys/id_ed25519', 'k')

        expect:
        t.load("config = [provider: 'ssh', instances: [[host: 'h', key: 'keys/id_ed25519']]]").instances()[0].ssh().key() ==
                dir.resolve('keys/id_ed25519').toString()
    }

    // ------------------------------------------------------------------------------------- environments

    def "environment names: #names give #expected"() {
        given:
        String envs = names.collect { it == null ? "[env_pypi: 'numpy']" : "[name: $it, env_pypi: 'numpy']" }.join(', ')
        String text = "config = [environments: [$envs]]"

        expect:
        expected instanceof List
                ? t.load(text).environments()*.name() == expected
                : t.messages(text).contains(expected)

        where:
        names                 || expected
        [null]                || ['default']
        ["'py'"]              || ['py']
        ["'py'", "'r'"]       || ['py', 'r']
        ["'py'", null]        || "this environment needs a 'name': there are 2 environments"
        ["'py'", "'py'"]      || "two environments are named 'py' (the other at line 1)"
        ["'my env'"]          || "the environment name 'my env' must start with a letter or digit"
        ["'-x'"]              || "the environment name '-x' must start with a letter or digit"
    }

    def "a package source '#value' is #expected"() {
        given:
        Config c = t.load("config = [provider: '$provider', environments: [[env_pypi: $value, env_conda: $value]]]")

        expect:
        c.environments()[0].pypi() == expected(dir)
        c.environments()[0].conda() == expected(dir)

        where:
        provider | value                       || expected
        'local'  | "['numpy==2.1', 'scipy']"   || { Path d -> new Packages(['numpy==2.1', 'scipy']) }
        'local'  | "'numpy'"                   || { Path d -> new Packages(['numpy']) }
        'local'  | "'numpy>=2'"                || { Path d -> new Packages(['numpy>=2']) }
        'local'  | "'requirements.txt'"        || { Path d -> new SpecFile(d.resolve('requirements.txt')) }
        'local'  | "'./environment.yml'"       || { Path d -> new SpecFile(d.resolve('environment.yml')) }
        'local'  | "'venv'"                    || { Path d -> new ExistingRoot(d.resolve('venv').toString()) }
        'local'  | "[]"                        || { Path d -> null }
        'local'  | "''"                        || { Path d -> null }
        'ssh'    | "'/opt/conda/envs/ml'"      || { Path d -> new ExistingRoot('/opt/conda/envs/ml') }
        'aws'    | "'/home/ubuntu/venv'"       || { Path d -> new ExistingRoot('/home/ubuntu/venv') }
    }

    def "a package source that looks like a missing file is an error: #value"() {
        expect:
        t.messages("config = [provider: '$provider', environments: [[env_pypi: '$value']]]").contains(
                "'env_pypi': no such file '$value' (${dir.resolve(value).normalize()})")

        where:
        provider | value
        'local'  | 'reqs.txt'
        'local'  | 'env/environment.yaml'
        'local'  | 'conda.yml'
        'local'  | 'envs/ml'
        'local'  | '/nowhere/at/all'
        'ssh'    | 'requirements-dev.txt'
        'aws'    | 'relative/venv'
    }

    def "package lists take a string or a list: #value"() {
        expect:
        t.load("config = [environments: [[env_aptget: $value, env_julia: $value, env_conda_channels: $value]]]")
                .environments()[0].with { [aptget(), julia(), condaChannels()] } == [expected] * 3

        where:
        value                || expected
        "'git'"              || ['git']
        "['git', 'curl']"    || ['git', 'curl']
        'null'               || []
        "[]"                 || []
    }

    def "the set-up command #value is #expected"() {
        given:
        String text = "config = [environments: [[command: '$value']]]"

        expect:
        expected instanceof Closure
                ? t.load(text).environments()[0].command() == expected(dir)
                : t.messages(text).contains(expected)

        where:
        value                          || expected
        'setup.sh'                     || { Path d -> new SetupCommand.ScriptFile(d.resolve('setup.sh')) }
        './setup.sh'                   || { Path d -> new SetupCommand.ScriptFile(d.resolve('setup.sh')) }
        'apt-get install -y git'       || { Path d -> new SetupCommand.Inline('apt-get install -y git') }
        'requirements.txt'             || { Path d -> new SetupCommand.ScriptFile(d.resolve('requirements.txt')) }
        'install.sh'                   || "'command': no such file 'install.sh'"
        'bash scripts/install.sh'      || "'command': no such file 'bash scripts/install.sh'"
    }

    def "pip options: #entries gives #expected"() {
        given:
        String text = "config = [environments: [[env_pypi: ['numpy'], $entries]]]"

        expect:
        expected instanceof Closure
                ? expected(t.load(text).environments()[0], dir)
                : t.messages(text).contains(expected)

        where:
        entries                                                             || expected
        "env_pypi_find_links: 'wheels', env_pypi_no_index: true"            || { EnvironmentSpec e, Path d -> e.pypiFindLinks() == d.resolve('wheels') && e.pypiNoIndex() }
        "env_pypi_index_url: 'https://mirror/simple'"                       || { EnvironmentSpec e, Path d -> e.pypiIndexUrl() == 'https://mirror/simple' && !e.pypiNoIndex() }
        "env_pypi_find_links: 'nowheels'"                                   || "'env_pypi_find_links' must be a local folder of wheels; no such folder 'nowheels'"
        "env_pypi_find_links: 'run.py'"                                     || "'env_pypi_find_links' must be a local folder of wheels"
        "env_pypi_no_index: true"                                           || "'env_pypi_no_index' installs only from 'env_pypi_find_links', which is not set"
        "env_pypi_find_links: 'wheels', env_pypi_no_index: true, env_pypi_index_url: 'u'" || "contradict each other"
        "env_pypi_no_index: 'yes'"                                          || "'env_pypi_no_index' must be true or false"
    }

    // --------------------------------------------------------------------------------------------- jobs

    def "a job's environment: #envs with env_name #envName gives #expected"() {
        given:
        String envList = envs.collect { "[name: '$it']" }.join(', ')
        String text = "config = [environments: [$envList], jobs: [[run_command: 'echo', env_name: $envName]]]"

        expect:
        expected == null || expected.startsWith('=')
                ? t.load(text).jobs()[0].envName() == expected?.substring(1)
                : t.messages(text).contains(expected)

        where:
        envs          | envName  || expected
        []            | 'null'   || null
        ['py']        | 'null'   || '=py'
        ['py']        | "'py'"   || '=py'
        ['py', 'r']   | "'r'"    || '=r'
        ['py', 'r']   | 'null'   || "this job needs an 'env_name': there are several environments (py, r)"
        ['py', 'r']   | "'pyy'"  || "'env_name' names no environment: 'pyy'; did you mean 'py'?"
        ['py', 'r']   | "'julia'"|| "'env_name' names no environment: 'julia' (environments: py, r)"
        []            | "'py'"   || "'env_name' names no environment: 'py' (there are no environments)"
    }

    def "run_script '#script' calls #path with #args"() {
        when:
        JobSpec job = t.load(mapJob("run_script: \"$script\"")).jobs()[0]

        then:
        job.runScript() == new JobSpec.ScriptCall(dir.resolve(path), args)

        where:
        script                             || path          | args
        'run.py'                           || 'run.py'      | []
        'run.py 1 10'                      || 'run.py'      | ['1', '10']
        "run.py 'two words' x"             || 'run.py'      | ['two words', 'x']
        './run.py --n=3'                   || 'run.py'      | ['--n=3']
        'data/../run.py a\\\\ b'           || 'run.py'      | ['a b']
    }

    def "run_script problems: #script gives #expected"() {
        expect:
        t.messages(mapJob("run_script: \"$script\"")).contains(expected)

        where:
        script               || expected
        'train.py 1'         || "'run_script': no such script 'train.py' ("
        'python3'            || "to run a command use 'run_command'"
        'data'               || "'run_script': 'data' is a folder, not a script"
        "run.py 'open"       || "'run_script' cannot be split into words: the quote ' opened at character 8 is never closed"
        '   '                || "'run_script' is empty"
    }

    def "run_script wins over run_command, which is kept as written"() {
        when:
        JobSpec job = t.load(mapJob("run_script: 'run.py 1', run_command: 'echo'")).jobs()[0]

        then:
        job.runScript().script() == dir.resolve('run.py')
        job.runCommand() == 'echo'
        job.name().startsWith('run-')
    }

    def "a job without run_script nor run_command is an error (#form form)"() {
        expect:
        t.messages(text).contains("this job has nothing to run: give it '$script' (a script and its arguments) or '$command' (a command line)")

        where:
        form    | text                                          || script       | command
        'map'   | "config = [jobs: [[repeat: 2]]]"             || 'run_script' | 'run_command'
        'map'   | "config = [jobs: [[run_command: '  ']]]"     || 'run_script' | 'run_command'
        'block' | "katapult { job { repeat 2 } }"               || 'runScript'  | 'runCommand'
    }

    def "files to upload and inputs are absolute, and must exist (a folder or pattern: match a file): #value"() {
        given:
        String text = mapJob("run_command: 'echo', upload_files: $value, input_files: $value")

        expect:
        expected instanceof List
                ? t.load(text).jobs()[0].with { uploadFiles() == expected.collect { dir.resolve(it) } && inputFiles() == uploadFiles() }
                : t.messages(text).contains(expected)

        where:
        value                           || expected
        "'in.dat'"                      || ['in.dat']
        "['in.dat', 'data/a.txt']"      || ['in.dat', 'data/a.txt']
        "['./in.dat']"                  || ['in.dat']
        "[]"                            || []
        "'missing.dat'"                 || "'upload_files': no such upload file 'missing.dat' ("
        "['in.dat', 'data/b.txt']"      || "'input_files': no such input file 'data/b.txt' ("
        "'data'"                        || ['data/a.txt']
        "'data/*.txt'"                  || ['data/a.txt']
        "'data/*.csv'"                  || "'upload_files': the pattern 'data/*.csv' matches no file (in "
        "'../*.txt'"                    || "'upload_files': the pattern '../*.txt' must stay inside the config's folder (no '..')"
        "['in.dat', 'in.dat']"          || "'upload_files' lists 'in.dat' twice"
        "['']"                          || "'upload_files' holds an empty file name"
    }

    def "the seed's singular input_file and output_file are accepted (#form form)"() {
        when:
        JobSpec job = t.load(text).jobs()[0]

        then:
        job.inputFiles() == [dir.resolve('in.dat')]
        job.outputFiles() == ['out.dat']

        where:
        form    | text
        'map'   | mapJob("run_command: 'echo', input_file: 'in.dat', output_file: 'out.dat'")
        'block' | blockJob("runCommand 'echo'; inputFile 'in.dat'; outputFile 'out.dat'")
    }

    def "giving both spellings of a file list is an error"() {
        expect:
        t.messages(mapJob("run_command: 'echo', input_file: 'in.dat', input_files: ['in.dat']")).contains(
                "give 'input_files' or 'input_file', not both")
        t.messages(blockJob("runCommand 'echo'; outputFile 'a'; outputFiles 'b'")).contains(
                "give 'outputFiles' or 'outputFile', not both")
    }

    def "output file '#output' is #expected"() {
        given:
        String text = mapJob("run_command: 'echo', output_files: ['$output']")

        expect:
        expected.startsWith('=')
                ? t.load(text).jobs()[0].outputFiles() == [expected.substring(1)]
                : t.messages(text).contains("'output_files': '$output' $expected")

        where:
        output              || expected
        'out.dat'           || '=out.dat'
        './out.dat'         || '=out.dat'
        'res/sub/out.dat'   || '=res/sub/out.dat'
        'res/./out.dat'     || '=res/out.dat'
        'stdout.log.gz'     || '=stdout.log.gz'
        'logs/stdout.log'   || '=logs/stdout.log'
        '../out.dat'        || "must stay inside the job's working folder (no '..')"
        'a/../../out.dat'   || "must stay inside the job's working folder (no '..')"
        'a/../b.dat'        || "must stay inside the job's working folder (no '..')"
        '/tmp/out.dat'      || 'must be relative to the job\'s working folder, not absolute'
        '~/out.dat'         || 'must be relative to the job\'s working folder, not absolute'
        'stdout.log'        || "is where Katapult keeps the run's own log"
        './stderr.log'      || "is where Katapult keeps the run's own log"
        '.'                 || 'names the working folder itself, not a file'
        ''                  || 'is empty'
    }

    def "a job's default name is '#pattern' for #entries"() {
        expect:
        t.load(mapJob(entries)).jobs()[0].name() == pattern.replace('HASH', ConfigBinder.sha6(hashed))

        where:
        entries                                         || pattern               | hashed
        "run_script: 'run.py 1 10'"                     || 'run-HASH'            | 'run.py 1 10'
        "run_script: './data/../run.py  1   10'"        || 'run-HASH'            | 'run.py 1 10'
        "run_script: \"run.py 'a b'\""                  || 'run-HASH'            | 'run.py a b'
        "run_command: 'echo hi > out.txt'"              || 'echo-HASH'           | 'echo hi > out.txt'
        "run_command: '/usr/bin/python3 -V'"            || 'python3-HASH'        | '/usr/bin/python3 -V'
        "run_command: 'FOO=1 make'"                     || 'FOO_1-HASH'          | 'FOO=1 make'
        "run_command: '\$(date)'"                       || 'date_-HASH'          | '$(date)'
        "run_command: '>>'"                             || 'job-HASH'            | '>>'
    }

    def "job names must be unique: #expected"() {
        expect:
        t.messages(text).contains(expected)

        where:
        text                                                                                 || expected
        "config = [jobs: [[run_command: 'echo'], [run_command: 'echo']]]"                    || "this job runs the same command ('echo') as the job at line 1, so both would be named 'echo-"
        "config = [jobs: [[run_command: 'echo'], [run_command: 'echo']]]"                    || "to run a job several times use 'repeat', otherwise give each a 'name'"
        "config = [jobs: [[name: 'a', run_command: 'x'], [name: 'a', run_command: 'y']]]"   || "two jobs are named 'a' (the other at line 1); job names must be unique"
        "katapult { job 'a', { runCommand 'x' }\n job { name 'a'; runCommand 'y' } }"        || "two jobs are named 'a' (the other at line 1)"
        "config = [jobs: [[name: 'a b', run_command: 'x']]]"                                 || "the job name 'a b' must start with a letter or digit"
    }

    def "two identical jobs with different names are fine"() {
        expect:
        t.load("config = [jobs: [[name: 'a', run_command: 'x'], [name: 'b', run_command: 'x']]]").jobs()*.name() == ['a', 'b']
    }

    def "after: #after gives #expected"() {
        given:
        String text = """config = [jobs: [
            [name: 'a', run_command: 'echo a'],
            [name: 'b', run_command: 'echo b', after: $after],
            [name: 'c', run_command: 'echo c', after: 'b'],
        ]]"""

        expect:
        expected instanceof List
                ? t.load(text).jobs()[1].after() == expected
                : t.messages(text).contains(expected)

        where:
        after          || expected
        "'a'"          || ['a']
        "['a']"        || ['a']
        'null'         || []
        "'x'"          || "job 'b' waits for 'x' ('after'), which is not a job"
        "'aa'"         || "job 'b' waits for 'aa' ('after'), which is not a job; did you mean 'a'?"
        "'b'"          || "job 'b' waits for itself ('after')"
        "'c'"          || "the jobs wait for each other in a circle ('after'): b → c → b"
        "['a', 'c']"   || "the jobs wait for each other in a circle ('after'): b → c → b"
    }

    def "after may name a job declared later, or a job that has its own problems"() {
        expect:
        t.load("config = [jobs: [[name: 'b', run_command: 'x', after: 'a'], [name: 'a', run_command: 'y']]]").jobs()[0].after() == ['a']
        t.problems("config = [jobs: [[name: 'b', run_command: 'x', after: 'a'], [name: 'a', run_script: 'nope.py']]]")*.message() ==
                ["'run_script': no such script 'nope.py' (${dir.resolve('nope.py')}); to run a command use 'run_command'".toString()]
    }

    def "cpus_req must fit the largest instance whose cpus are known: #instances, cpus_req #req gives #expected"() {
        given:
        String text = "config = [provider: 'aws', instances: $instances, jobs: [[name: 'j', run_command: 'x', cpus_req: $req]]]"

        expect:
        expected == 'ok' ? t.load(text).jobs()[0].cpusReq() == req : t.messages(text).contains(expected)

        where:
        instances                                                  | req || expected
        "[[type: 't', cpus: 4]]"                                   | 4   || 'ok'
        "[[type: 't', cpus: 4], [name: 'big', type: 't', cpus: 8]]" | 8   || 'ok'
        "[[type: 't', cpus: 4], [name: 'big', type: 't', cpus: 8]]" | 9   || "job 'j' asks for 9 cpus ('cpus_req') but the largest instance, 'big', has 8 ('cpus'): it could never start"
        "[[type: 't']]"                                            | 64  || 'ok'
        "[[type: 't', cpus: 2], [type: 't']]"                      | 64  || 'ok'
        "[]"                                                       | 64  || 'ok'
    }

    def "the local provider knows this machine's cpus"() {
        given:
        int n = Runtime.runtime.availableProcessors()

        expect:
        t.messages("config = [instances: [[:]], jobs: [[name: 'j', run_command: 'x', cpus_req: ${n + 1}]]]").contains(
                "job 'j' asks for ${n + 1} cpus ('cpus_req') but the largest instance, 'local-1', has $n")
    }

    // --------------------------------------------------------------------------------------- structure

    def "the lists of the map form must hold maps: #text gives #expected"() {
        expect:
        t.messages(text).contains(expected)

        where:
        text                                          || expected
        "config = [jobs: 'run.py']"                   || "'jobs' must be a list of maps: jobs: [[key: value, ...], ...], got 'run.py' (String)"
        "config = [instances: [[cpus: 1], 't3']]"     || "each entry of 'instances' must be a map [key: value, ...] describing an instance, got 't3' (String)"
        "config = [environments: 3]"                  || "'environments' must be a list of maps"
    }

    def "a single map where a list is expected is taken as a list of one"() {
        expect:
        t.load("config = [jobs: [run_command: 'echo']]").jobs()*.runCommand() == ['echo']
    }

    def "unknown keys are reported in the spelling of the form: #expected"() {
        expect:
        t.messages(text).contains(expected)

        where:
        text                                                   || expected
        "config = [projet: 'x']"                               || "unknown key 'projet' in the top level of config; did you mean 'project'?"
        "config = [jobAssign: 'random']"                       || "unknown key 'jobAssign' in the top level of config; did you mean 'job_assign'?"
        "katapult { job_assign 'random' }"                     || "unknown key 'job_assign' in the katapult block; did you mean 'jobAssign'?"
        "config = [instances: [[cpus_req: 2]]]"                || "'cpus_req' cannot be set in an instance: it belongs in a job"
        "katapult { instance { envName 'py' } }"               || "'envName' cannot be set in an instance: it belongs in a job"
        "config = [jobs: [[run_command: 'x', input: 'a']]]"    || "unknown key 'input' in a job (known keys: name, env_name"
    }

    def "every problem is reported at once, sorted by line"() {
        when:
        List<Problem> problems = t.problems('''config = [
            provider: 'nope',
            debug: 9,
            instances: [[cpus: 0]],
            jobs: [[run_script: 'missing.py'],
                   [run_command: 'x', repeat: 0, env_name: 'none']],
        ]''')

        then:
        problems*.line() == [2, 3, 4, 5, 6, 6]
        problems.every { it.file() == dir.resolve('cfg.groovy').toString() }
    }
}
