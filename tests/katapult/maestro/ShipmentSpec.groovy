package katapult.maestro

import java.nio.file.Files
import java.nio.file.Path

import katapult.dsl.ConfigLoader
import spock.lang.Specification
import spock.lang.TempDir

/** What the maestro gets besides Katapult: the config files and the files they name, in their relative layout. */
class ShipmentSpec extends Specification {

    @TempDir
    Path dir

    def "config, uploads and a script above the config's folder keep their layout; the state's files stay out"() {
        given:
        Files.createDirectories(dir.resolve('proj/data/sub'))
        Files.createDirectories(dir.resolve('scripts'))
        Files.writeString(dir.resolve('proj/data/a.csv'), 'a')
        Files.writeString(dir.resolve('proj/data/sub/b.csv'), 'b')
        Files.writeString(dir.resolve('scripts/go.sh'), 'echo go')
        def config = Files.writeString(dir.resolve('proj/p.groovy'), """katapult { project 'p'
            job { runScript '../scripts/go.sh'; uploadFiles(['data/a.csv', 'data/sub/b.csv']) } }""")
        def state = Files.createDirectories(dir.resolve('proj/.katapult/p/added'))
        def saved = Files.writeString(state.resolve('0001-x.json'), '{}')

        when:
        def shipment = Shipment.of(ConfigLoader.load(config), [config.toString(), saved.toString()], state.parent)

        then:
        shipment.base() == dir.toAbsolutePath().normalize()
        shipment.files().keySet() == ['proj/p.groovy', 'scripts/go.sh', 'proj/data/a.csv', 'proj/data/sub/b.csv'] as Set
        shipment.relative(config) == 'proj/p.groovy'
        shipment.relative(saved) == null
    }

    def "a folder of classes packs into the same jar (same sha-256) every time; jars are taken as they are"() {
        given:
        def classes = Files.createDirectories(dir.resolve('classes/a/b'))
        Files.writeString(classes.resolve('C.class'), 'bytes')
        def jar = Files.writeString(dir.resolve('lib.jar'), 'not really a jar')
        def cp = [dir.resolve('classes'), jar, dir.resolve('missing.jar')].join(File.pathSeparator)

        when:
        def first = ClassPathJars.of(cp, dir.resolve('packs'))
        Files.setLastModifiedTime(classes.resolve('C.class'), java.nio.file.attribute.FileTime.fromMillis(12345))
        def second = ClassPathJars.of(cp, dir.resolve('packs'))

        then:
        first.size() == 2
        first*.sha() == second*.sha()
        first[1].file() == jar
        new java.util.jar.JarFile(first[0].file().toFile()).withCloseable { it.getEntry('a/b/C.class') != null }

        when:
        Files.writeString(classes.resolve('C.class'), 'other bytes')

        then:
        ClassPathJars.of(cp, dir.resolve('packs'))[0].sha() != first[0].sha()
    }
}
