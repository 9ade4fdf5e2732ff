package katapult.state

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir

/** The state file keeps its format: a file written by an earlier version loads, and is written back the same. */
class StateFormatSpec extends Specification {

    @TempDir
    Path dir

    static final String EARLIER = '''{
  "format" : "katapult-state/1",
  "project" : "proj",
  "configFiles" : [ "/x/config.groovy", "/x/.katapult/proj/added/0001-hello.groovy" ],
  "instances" : [ {
    "name" : "box",
    "provider" : "local",
    "handle" : "/x/.katapult/proj/local/box",
    "cpus" : 4,
    "status" : "RUNNING",
    "generation" : 1,
    "agentVersion" : "v1",
    "envKeys" : [ ]
  }, {
    "name" : "old",
    "provider" : "local",
    "handle" : "/x/.katapult/proj/local/old",
    "cpus" : 2,
    "status" : "STOPPED",
    "generation" : 2,
    "agentVersion" : null,
    "envKeys" : [ "py-1" ]
  } ],
  "runs" : [ {
    "uid" : "abc-1",
    "job" : "hello",
    "repeat" : 1,
    "attempt" : 2,
    "instance" : "box",
    "state" : "DONE",
    "exit" : 0,
    "start" : 10,
    "end" : 20,
    "reason" : null,
    "submitted" : true,
    "fetched" : true
  } ],
  "jobNames" : { }
}'''

    def "a state file written by an earlier version loads, its statuses read as states, and saves back unchanged"() {
        given:
        Path project = dir.resolve('proj')
        Files.createDirectories(project)
        Files.writeString(project.resolve('state.json'), EARLIER)
        def store = StateStore.open(project)

        when:
        ProjectState state = store.load().get()

        then:
        state.instances()*.state() == [InstanceState.RUNNING, InstanceState.STOPPED]
        state.run('abc-1').get().settled()
        state.configFiles()[1].endsWith('0001-hello.groovy')

        when:
        store.save(state)

        then:
        Files.readString(project.resolve('state.json')).replaceAll(/\s+/, '') == EARLIER.replaceAll(/\s+/, '')

        cleanup:
        store?.close()
    }

    def "a provider's status #status is the state #state"() {
        expect:
        InstanceState.of(status) == state
        new InstanceRecord('b', 'local', 'h', 1, status, 1, null, []).state() == state

        where:
        status        || state
        'PENDING'     || InstanceState.PENDING
        'RUNNING'     || InstanceState.RUNNING
        'STOPPED'     || InstanceState.STOPPED
        'GONE'        || InstanceState.GONE
        'UNREACHABLE' || InstanceState.UNREACHABLE
        null          || InstanceState.GONE
        'running'     || InstanceState.GONE
    }

    def "a record given a state carries its name, as providers and the state file spell it"() {
        expect:
        new InstanceRecord('b', 'local', 'h', 1, 'RUNNING', 1, null, []).withState(InstanceState.STOPPED).status() == 'STOPPED'
    }
}
