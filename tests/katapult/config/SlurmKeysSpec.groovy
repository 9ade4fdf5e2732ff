package katapult.config

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import spock.lang.Specification
import spock.lang.TempDir

class SlurmKeysSpec extends Specification {

    @TempDir
    Path dir

    Config load(String text) {
        new TempConfig(dir).load(text)
    }

    List<String> problems(String text) {
        try {
            load(text)
            []
        } catch (ConfigException e) {
            e.problems().collect { "${it.line()}: ${it.message()}".toString() }
        }
    }

    def "a slurm entry reads its scheduler keys and its login node"() {
        given:
        def key = Files.writeString(dir.resolve('id'), 'k')

        when:
        def config = load("""katapult {
            provider 'slurm'
            instance { name 'hpc'; host 'login.example.org'; user 'me'; key '${key}'; partition 'gpu'; account 'lab'
                       qos 'long'; timeLimit '2h'; mem '16g'; gpu 'gpu:1'; maxParallel 8
                       sbatchOptions '--constraint=skylake', '--exclusive' }
        }""")
        def slurm = config.instances()[0].slurm()

        then:
        config.provider() == Config.ProviderKind.SLURM
        slurm.login() == new SshHostSettings('login.example.org', 'me', 22, key.toString())
        config.instances()[0].ssh() == slurm.login()
        !slurm.local()
        [slurm.partition(), slurm.account(), slurm.qos(), slurm.timeLimit(), slurm.mem(), slurm.gpu(), slurm.maxParallel()] ==
                ['gpu', 'lab', 'long', Duration.ofHours(2), '16G', 'gpu:1', 8]
        slurm.sbatchOptions() == ['--constraint=skylake', '--exclusive']
    }

    def "a job's time limit is its own, read as a duration and checked at its line"() {
        when:
        def config = load("katapult { provider 'slurm'; instance { name 'hpc' }; job { name 'a'; runCommand 'true'; timeLimit '90s' }; job { name 'b'; runCommand 'true' } }")

        then:
        config.jobs()*.timeLimit() == [Duration.ofSeconds(90), null]
        problems("katapult {\n provider 'slurm'\n instance { name 'hpc' }\n job { name 'a'; runCommand 'true'\n timeLimit 'soon' }\n}")
                .collect { it.substring(0, 3) } == ['5: ']
    }

    def "workdir is the project's folder: absolute, or in the home without its ~/, none by default"() {
        expect:
        load("katapult { provider 'slurm'; instance { name 'hpc'; workdir $written } }").instances()[0].slurm().workdir() == read
        load("katapult { provider 'slurm'; instance { name 'hpc'; workdir $written } }").remoteRoots() == [hpc: read]
        load("katapult { provider 'slurm'; instance { name 'hpc' } }").remoteRoots() == [:]

        where:
        written                  || read
        "'/scratch/me/k'"        || '/scratch/me/k'
        "'/scratch//me/k/'"      || '/scratch/me/k'
        "'~/work/k'"             || 'work/k'
    }

    def "a workdir that is relative, the root, or climbs is a problem at its line: #written"() {
        expect:
        problems("katapult {\n provider 'slurm'\n instance {\n name 'hpc'\n workdir '$written'\n }\n}") ==
                ["5: 'workdir' must be an absolute path or '~/' and a path, without '.' or '..' (the compute nodes must find it), got '$written'".toString()]

        where:
        written << ['work/k', '/', '~/', '/scratch/../etc', '~/./k', '']
    }

    def "no host, or localhost, is this machine as the login node"() {
        expect:
        load("katapult { provider 'slurm'; instance { name 'hpc' } }").instances()[0].slurm().local()
        load("katapult { provider 'slurm'; instance { name 'hpc'; host 'localhost' } }").instances()[0].slurm().local()
    }

    def "wrong scheduler keys are problems at their line: #text"() {
        expect:
        problems("katapult {\n provider 'slurm'\n instance {\n name 'hpc'\n $text\n }\n}") == expected

        where:
        text                                   || expected
        "mem '4 gigs'"                         || ["5: 'mem' must be a memory amount such as '500M', '4G' or '1T', got '4 gigs' (String)"]
        "mem 0"                                || ["5: 'mem' must be a memory amount such as '500M', '4G' or '1T', got 0 (Integer)"]
        "mem '4G'; memPerCpu '1G'"             || ["5: 'mem' and 'memPerCpu' exclude each other (sbatch takes one): keep one"]
        "sbatchOptions 'exclusive'"            || ["5: 'sbatchOptions' holds sbatch options, each starting with '-' (such as '--constraint=skylake'), got 'exclusive'"]
        "maxParallel 0"                        || ["5: 'maxParallel' must be a whole number ≥ 1, got 0 (Integer)"]
        "key '/no/such/key'"                   || ["5: 'key': no such file '/no/such/key' (/no/such/key)"]
    }

    def "a memory amount is a number with an optional unit, a number alone megabytes"() {
        expect:
        load("katapult { provider 'slurm'; instance { name 'hpc'; mem $written } }").instances()[0].slurm().mem() == read

        where:
        written || read
        "'500M'" || '500M'
        "'2gb'"  || '2G'
        '2048'   || '2048'
        "'1T'"   || '1T'
    }

    def "an environment is accepted with the slurm provider (a Slurm job sets it up)"() {
        expect:
        problems("katapult {\n provider 'slurm'\n instance { name 'hpc' }\n environment { envPypi 'numpy' }\n}") == []
        load("katapult { provider 'slurm'; instance { name 'hpc' }; environment { name 'e'; envPypi 'numpy' }; job { envName 'e'; runCommand 'true' } }")
                .environments()*.name() == ['e']
    }
}
