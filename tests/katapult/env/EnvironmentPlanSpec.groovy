package katapult.env

import java.nio.file.Files
import java.nio.file.Path

import katapult.config.EnvironmentSpec
import katapult.config.PackageSource
import spock.lang.Specification
import spock.lang.TempDir

class EnvironmentPlanSpec extends Specification {

    @TempDir
    Path dir

    EnvironmentSpec env(Map a = [:]) {
        new EnvironmentSpec(a.name ?: 'py', a.command, a.apt ?: [], a.conda, a.channels ?: [], a.pypi, a.julia ?: [],
                a.indexUrl, a.findLinks, a.noIndex ?: false)
    }

    def "lists become one-per-line spec files"() {
        when:
        def plan = EnvironmentPlan.of(env(apt: ['git', 'curl'], conda: new PackageSource.Packages(['numpy=2']),
                channels: ['bioconda'], pypi: new PackageSource.Packages(['requests>=2']), julia: ['Wavelets'],
                command: new EnvironmentSpec.SetupCommand.Inline('make all')))

        then:
        plan.texts() == [aptget: 'git\ncurl\n', conda: 'numpy=2\n', channels: 'bioconda\n', pypi: 'requests>=2\n',
                         julia: 'Wavelets\n', command: 'make all\n']
        plan.localFiles().isEmpty()
        plan.key() ==~ /py-[0-9a-f]{12}/
    }

    def "spec files and wheels travel as files; pip is pointed at the wheels"() {
        given:
        def req = Files.writeString(dir.resolve('requirements.txt'), 'tiny\n')
        def wheels = Files.createDirectories(dir.resolve('wheels'))
        def wheel = Files.writeString(wheels.resolve('tiny-1.0-py3-none-any.whl'), 'zip')
        def script = Files.writeString(dir.resolve('setup.sh'), 'echo hi\n')

        when:
        def plan = EnvironmentPlan.of(env(pypi: new PackageSource.SpecFile(req), findLinks: wheels, noIndex: true,
                indexUrl: 'http://127.0.0.1:1/simple',
                command: new EnvironmentSpec.SetupCommand.ScriptFile(script)))

        then:
        plan.localFiles() == ['requirements.txt': req, 'wheels/tiny-1.0-py3-none-any.whl': wheel, command: script]
        plan.texts()['pip-args'] == '--index-url\nhttp://127.0.0.1:1/simple\n--no-index\n--find-links\nspec/wheels\n'
    }

    def "the key changes with any content and with nothing else"() {
        given:
        def req = Files.writeString(dir.resolve('requirements.txt'), 'a\n')
        def spec = env(pypi: new PackageSource.SpecFile(req))
        def before = EnvironmentPlan.of(spec).key()

        expect:
        EnvironmentPlan.of(spec).key() == before

        when:
        Files.writeString(req, 'b\n')

        then:
        EnvironmentPlan.of(spec).key() != before
    }
}
