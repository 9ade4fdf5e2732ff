package katapult.maestro

import java.nio.file.Files
import java.nio.file.Path

import katapult.transport.LocalShell
import spock.lang.Specification
import spock.lang.TempDir

/** Results from the maestro's disk: whole files only, nothing already here replaced, the maestro told. */
class MaestroResultsSpec extends Specification {

    @TempDir
    Path dir

    def "whole files come, partial ones and files already here do not, and the maestro records the fetch"() {
        given:
        def home = Files.createDirectories(dir.resolve('maestro-home'))
        def folder = new MaestroFolder('p')
        Files.createDirectories(home.resolve(folder.root()))
        Files.writeString(home.resolve(folder.script()), HandOff.template())
        def remote = Files.createDirectories(home.resolve(folder.results()).resolve('work/1'))
        Files.writeString(remote.resolve('out.txt'), 'from the maestro')
        Files.writeString(remote.resolve('big.bin.part'), 'half')
        Files.createDirectories(home.resolve(folder.results()).resolve('work/2'))
        Files.writeString(home.resolve(folder.results()).resolve('work/2/out.txt'), 'newer on the maestro')
        def local = Files.createDirectories(dir.resolve('results/p/work/2'))
        Files.writeString(local.resolve('out.txt'), 'already here')

        when:
        def fetched = MaestroResults.fetch(new LocalShell(home, 'maestro'), folder, dir.resolve('results/p'))

        then:
        fetched.copied() == 1
        fetched.present() == 1
        Files.readString(dir.resolve('results/p/work/1/out.txt')) == 'from the maestro'
        !Files.exists(dir.resolve('results/p/work/1/big.bin.part'))
        !Files.exists(dir.resolve('results/p/work/1/big.bin'))
        Files.readString(dir.resolve('results/p/work/2/out.txt')) == 'already here'
        Files.readString(home.resolve(folder.root()).resolve('fetched')).strip().isLong()
    }

    def "a job's runs.csv comes again each time: the maestro keeps it up to date"() {
        given:
        def home = Files.createDirectories(dir.resolve('maestro-home'))
        def folder = new MaestroFolder('p')
        Files.createDirectories(home.resolve(folder.root()))
        Files.writeString(home.resolve(folder.script()), HandOff.template())
        def remote = Files.createDirectories(home.resolve(folder.results()).resolve('work/1'))
        Files.writeString(remote.resolve('runs.csv'), 'a run folder may hold a file of that name')
        Files.writeString(remote.resolveSibling('runs.csv'), 'run,state\n1,DONE\n')
        def local = Files.createDirectories(dir.resolve('results/p/work/1'))
        Files.writeString(local.resolveSibling('runs.csv'), 'run,state\n1,RUNNING\n')
        Files.writeString(local.resolve('runs.csv'), 'already here')

        when:
        def fetched = MaestroResults.fetch(new LocalShell(home, 'maestro'), folder, dir.resolve('results/p'))

        then:
        fetched.copied() == 1
        Files.readString(dir.resolve('results/p/work/runs.csv')) == 'run,state\n1,DONE\n'
        Files.readString(dir.resolve('results/p/work/1/runs.csv')) == 'already here'
    }
}
