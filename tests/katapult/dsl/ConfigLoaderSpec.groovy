package katapult.dsl

import static katapult.config.TempConfig.withoutSource

import java.nio.file.Files
import java.nio.file.Path
import katapult.config.Config
import katapult.config.EnvironmentSpec.SetupCommand
import katapult.config.JobSpec
import katapult.config.PackageSource
import spock.lang.Shared
import spock.lang.Specification

/** Every good fixture and the seed examples load, and both forms of one config load into equal configs. */
class ConfigLoaderSpec extends Specification {

    static final Path GOOD = Path.of('tests/fixtures/good')
    static final Path EXAMPLES = Path.of('examples')

    @Shared
    Config localBase = ConfigLoader.load(GOOD.resolve('local.block.groovy'))

    static List<Path> goodFixtures() {
        Files.list(GOOD).withCloseable { s -> s.filter { it.fileName.toString().endsWith('.groovy') }.sorted().toList() }
    }

    static List<String> pairs() {
        goodFixtures()*.fileName*.toString().findAll { it.endsWith('.block.groovy') }.collect { it - '.block.groovy' }
    }

    def "there are good fixtures, in pairs"() {
        expect:
        pairs().size() >= 6
        goodFixtures().size() == 2 * pairs().size()
    }

    def "the good fixture #file.fileName loads"() {
        when:
        Config c = ConfigLoader.load(file)

        then:
        c.source() == file.toAbsolutePath().normalize()
        !c.jobs().empty || !c.instances().empty

        where:
        file << goodFixtures()
    }

    def "the block and map forms of '#name' load into equal configs"() {
        when:
        Config block = ConfigLoader.load(GOOD.resolve("${name}.block.groovy"))
        Config map = ConfigLoader.load(GOOD.resolve("${name}.map.groovy"))

        then:
        withoutSource(block) == withoutSource(map)

        where:
        name << pairs()
    }

    def "the seed examples load into equal configs, holding the seed's values"() {
        when:
        Config block = ConfigLoader.load(EXAMPLES.resolve('seed-config.groovy'))
        Config map = ConfigLoader.load(EXAMPLES.resolve('seed-map.groovy'))
        Path seed = EXAMPLES.resolve('seed').toAbsolutePath()

        then:
        withoutSource(block) == withoutSource(map)
        block.source() != map.source()

        and:
        with(block) {
            project() == 'test'
            provider() == Config.ProviderKind.AWS
            jobAssign() == Config.JobAssign.MULTI_KNAPSACK
            autoStop() && recover() && mutualizeUploads() && !printDeploy() && !dev()
            instances().size() == 1
            instances()[0].aws().imgId() == 'ami-077fd75cd229c811b'
            instances()[0].aws().type() == 't2.micro'
            instances()[0].aws().eco()
            instances()[0].cpus() == null
            environments()*.name() == ['default']
            environments()[0].command() == new SetupCommand.ScriptFile(seed.resolve('install_julia.sh'))
            environments()[0].aptget() == ['openssh-client']
            environments()[0].conda() == new PackageSource.SpecFile(seed.resolve('environment.yml'))
            environments()[0].pypi() == new PackageSource.SpecFile(seed.resolve('requirements.txt'))
            environments()[0].julia() == ['Wavelets']
            jobs()*.repeat() == [2, 1]
            jobs()*.envName() == ['default', 'default']
            jobs()*.runScript()*.args() == [['1', '10'], ['2', '12']]
            jobs()*.uploadFiles() == [[seed.resolve('uploaded.txt')]] * 2
            jobs()*.inputFiles() == [[seed.resolve('input.dat')]] * 2
            jobs()*.outputFiles() == [['output.dat']] * 2
        }
    }

    def "the local fixture holds what it says"() {
        given:
        Path files = GOOD.resolve('files').toAbsolutePath()

        expect:
        with(localBase) {
            project() == 'local-pipeline'
            debug() == 2
            jobAssign() == Config.JobAssign.RANDOM
            !mutualizeUploads()
            printDeploy()
            instances()*.name() == ['here']
            instances()[0].cpus() == 4
            environments()*.name() == ['py', 'conda', 'offline']
        }
        with(localBase.environment('py').get()) {
            pypi() == new PackageSource.SpecFile(files.resolve('requirements.txt'))
            pypiIndexUrl() == 'https://pypi.example.org/simple'
            aptget() == ['git', 'curl']
        }
        with(localBase.environment('conda').get()) {
            conda() == new PackageSource.Packages(['numpy', 'scipy=1.14'])
            condaChannels() == ['conda-forge', 'bioconda']
            pypi() == new PackageSource.Packages(['requests'])
            julia() == ['Wavelets']
            command() == new SetupCommand.ScriptFile(files.resolve('setup.sh'))
        }
        with(localBase.environment('offline').get()) {
            pypi() == new PackageSource.ExistingRoot(files.resolve('venv').toString())
            pypiFindLinks() == files.resolve('wheels')
            pypiNoIndex()
            command() == new SetupCommand.Inline('echo ready > ready.txt')
        }
        with(localBase.jobs()[1]) {
            runScript() == new JobSpec.ScriptCall(files.resolve('run.py'), ['1', 'two words', 'three four'])
            cpusReq() == 2
            uploadFiles() == [files.resolve('data/a.txt'), files.resolve('data/b.txt')]
            outputFiles() == ['out.dat', 'logs/extra.log']
            repeat() == 3
            after() == ['prepare']
        }
        localBase.jobs()*.name() == ['prepare', localBase.jobs()[1].name(), 'report']
        localBase.jobs()[2].outputFiles() == ['report.txt']
    }

    def "the aws fixture reads every duration spelling"() {
        expect:
        ConfigLoader.load(GOOD.resolve('aws.block.groovy')).instances()*.aws()*.ecoLife()*.toMinutes() == [90, 120, 45]
    }

    def "the good addition #name loads onto its base and both forms merge equally"() {
        when:
        Config block = ConfigLoader.loadAddition(GOOD.resolve("add/${name}.block.groovy"), localBase)
        Config map = ConfigLoader.loadAddition(GOOD.resolve("add/${name}.map.groovy"), localBase)

        then:
        block == map
        block.source() == localBase.source()
        block.jobs().size() > localBase.jobs().size()

        where:
        name << ['jobs', 'more']
    }

    def "a relative path is kept as given in problems, and a missing file is one problem without a line"() {
        when:
        ConfigLoader.load(Path.of('tests/fixtures/good/no-such.groovy'))

        then:
        katapult.config.ConfigException e = thrown()
        e.problems().size() == 1
        e.problems()[0].file() == 'tests/fixtures/good/no-such.groovy'
        e.problems()[0].line() == 0
        e.problems()[0].message().startsWith('no such config file')
    }
}
