package katapult.state

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir

class StateStoreSpec extends Specification {

    @TempDir
    Path dir

    Path project() {
        dir.resolve('proj')
    }

    def "state saved is state loaded, and no partial file is left behind"() {
        given:
        def state = ProjectState.empty('proj', '/x/config.groovy')
                .withRuns([RunRecord.planned('abc-1', 'job', 1, 'local-1')])
                .withInstances([new InstanceRecord('local-1', 'local', '/tmp/x', 2, 'RUNNING', 1, 'v1', ['py-1'])])
        def store = StateStore.open(project())

        when:
        store.save(state)

        then:
        store.load().get() == state
        !Files.exists(project().resolve('state.json.part'))

        cleanup:
        store?.close()
    }

    def "a second store on the same project is refused with a message naming the holder"() {
        given:
        def first = StateStore.open(project())

        when:
        StateStore.open(project())

        then:
        def e = thrown(StateException)
        e.message.contains('another Katapult')
        e.message.contains("pid ${ProcessHandle.current().pid()}")

        cleanup:
        first.close()
    }

    def "the lock is free again once the store is closed"() {
        when:
        StateStore.open(project()).close()
        def again = StateStore.open(project())

        then:
        noExceptionThrown()

        cleanup:
        again?.close()
    }

    def "a #kind state file is named in the error and never overwritten"() {
        given:
        Files.createDirectories(project())
        def file = project().resolve('state.json')
        Files.writeString(file, content)
        def store = StateStore.open(project())

        when:
        store.load()

        then:
        def e = thrown(StateException)
        e.message.contains(file.toString())
        e.message.contains('left untouched')
        Files.readString(file) == content

        cleanup:
        store?.close()

        where:
        kind                 | content
        'corrupt'            | '{"format": "katapult-state/1", "project": '
        'foreign'            | '{"some": "other tool"}'
        'other project'      | '{"format": "katapult-state/1", "project": "elsewhere", "configFiles": [], "instances": [], "runs": []}'
        'future format'      | '{"format": "katapult-state/9", "project": "proj", "configFiles": [], "instances": [], "runs": []}'
        'run without state'  | '{"format": "katapult-state/1", "project": "proj", "configFiles": ["/c.groovy"], "instances": [], "runs": [{"uid": "u", "job": "j", "repeat": 1, "attempt": 1}]}'
    }

    def "a state file that parses but lacks what Katapult needs says what, where"() {
        given:
        Files.createDirectories(project())
        def file = project().resolve('state.json')
        Files.writeString(file, '''{"format": "katapult-state/1", "project": "proj", "configFiles": ["/c.groovy"],
            "instances": [{"name": "box-1", "provider": "local", "cpus": 2}, {"name": "box-1", "provider": "local"},
                          {"provider": "ssh"}],
            "runs": [{"uid": "a", "job": "j", "repeat": 1, "attempt": 1, "state": "DONE"},
                     {"uid": "a", "job": "j", "repeat": 2, "attempt": 1, "state": "DONE"},
                     {"uid": "b", "job": "j", "repeat": 0, "attempt": 1, "state": "WAIT"},
                     {"job": "j", "repeat": 1, "attempt": 1, "state": "WAIT"}]}''')
        def store = StateStore.open(project())

        when:
        store.load()

        then:
        def e = thrown(StateException)
        e.message.contains("instance 2: 'box-1' is there twice")
        e.message.contains('instance 3 has no name')
        e.message.contains('run 2: uid a is there twice')
        e.message.contains('run 3 (j): repeat and attempt start at 1')
        e.message.contains('run 4 has no uid')
        e.message.contains('left untouched')
        Files.readString(file).contains('"uid": "b"')

        cleanup:
        store?.close()
    }

    def "peek reads without taking the lock"() {
        given:
        def store = StateStore.open(project())
        store.save(ProjectState.empty('proj', '/c.groovy'))

        expect:
        StateStore.peek(project()).get().project() == 'proj'

        cleanup:
        store.close()
    }
}
