package katapult.maestro

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

import katapult.session.HandOffProject
import katapult.session.Session
import katapult.session.SessionException
import katapult.state.InstanceRecord
import katapult.state.MaestroMarker
import katapult.state.MaestroMarkers
import spock.lang.Specification
import spock.lang.TempDir

/** The hand-off's marker beside the state, and what it means to every command that would drive the project here. */
class MaestroMarkerSpec extends Specification {

    @TempDir
    Path ws

    Path config(String maestro = 'local') {
        Files.writeString(ws.resolve('proj.groovy'), "katapult { project 'proj'; maestro '$maestro'; job { runCommand 'true' } }")
    }

    def "a marker written is the marker read; none (a state from before the remote maestro) means a local maestro"() {
        given:
        def dir = ws.resolve('.katapult/proj')
        def instance = new InstanceRecord('maestro', 'aws', 'eu-west-1/i-1', 2, 'RUNNING', 1, null, [])
        def marker = MaestroMarker.starting('/x/proj.groovy', Instant.parse('2026-01-02T03:04:05Z'))

        expect:
        MaestroMarkers.read(dir).isEmpty()

        when:
        MaestroMarkers.write(dir, marker)

        then:
        MaestroMarkers.read(dir).get() == marker
        !marker.handedOff()

        when:
        def done = marker.handedOff(instance, Instant.parse('2026-01-02T03:05:00Z'))
        MaestroMarkers.write(dir, done)

        then:
        MaestroMarkers.read(dir).get() == done
        done.handedOff()
        done.instance() == instance
        done.since() == '2026-01-02T03:05:00Z'
        !Files.exists(dir.resolve('maestro.json.part'))

        when:
        MaestroMarkers.clear(dir)

        then:
        MaestroMarkers.read(dir).isEmpty()
    }

    def "a project handed to its maestro is never driven here: opening it says what to use instead"() {
        given:
        def file = config()
        Session.open(ws, file, {}).close()
        MaestroMarkers.write(ws.resolve('.katapult/proj'), MaestroMarker.starting(file.toString(), Instant.now())
                .handedOff(new InstanceRecord('maestro', 'aws', 'r/i-1', 2, 'RUNNING', 1, null, []), Instant.now()))

        when:
        Session.resume(ws, 'proj', {})

        then:
        def e = thrown(SessionException)
        e.message.contains("project 'proj' is driven by its remote maestro")
        e.message.contains('katapult status')

        when:
        Session.open(ws, file, {})

        then:
        thrown(SessionException)
    }

    def "a hand-off begun but not finished says to run it again"() {
        given:
        def file = config()
        MaestroMarkers.write(ws.resolve('.katapult/proj'), MaestroMarker.starting(file.toString(), Instant.now()))

        when:
        Session.resume(ws, 'proj', {})

        then:
        def e = thrown(SessionException)
        e.message.contains('being handed to its remote maestro')
        e.message.contains("katapult run ${file}")
    }

    def "a remote maestro config is not driven here by a plain session, but opens for the hand-off"() {
        given:
        def file = Files.writeString(ws.resolve('proj.groovy'),
                "katapult { project 'proj'; provider 'ssh'; maestro 'remote'; instance { host 'h.example' }; job { runCommand 'true' } }")

        when:
        Session.open(ws, file, {})

        then:
        def e = thrown(SessionException)
        e.message.contains("has maestro 'remote'")
        e.message.contains('katapult run')

        when:
        def project = HandOffProject.open(ws, file)

        then:
        project.config().project() == 'proj'
        Files.exists(project.stateDir().resolve('state.json'))

        cleanup:
        project?.close()
    }

    def "the hand-off is wanted for a remote config or a marked project, never otherwise"() {
        given:
        def local = config()

        expect:
        HandOff.wanted(ws, null, local).isEmpty()

        when:
        MaestroMarkers.write(ws.resolve('.katapult/proj'), MaestroMarker.starting(local.toString(), Instant.now()))

        then:
        HandOff.wanted(ws, null, local) == Optional.of(local)
        HandOff.wanted(ws, 'proj', null) == Optional.of(local)
    }
}
