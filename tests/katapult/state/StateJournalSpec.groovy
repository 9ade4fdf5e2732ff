package katapult.state

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir

/** The state journal: a save costs what changed, a kill at any point loses nothing that was saved. */
class StateJournalSpec extends Specification {

    @TempDir
    Path dir

    Path project() {
        dir.resolve('proj')
    }

    ProjectState initial(int runs) {
        ProjectState.empty('proj', '/x/config.groovy')
                .withRuns((1..runs).collect { RunRecord.planned("abc-$it", 'job', it, 'box') })
                .withInstances([new InstanceRecord('box', 'local', '/tmp/x', 2, 'RUNNING', 1, 'v1', [])])
    }

    static ProjectState done(ProjectState state, String uid) {
        state.updateRun(uid, { it.withState(RunState.DONE, 0, 1L, 2L, null) })
    }

    /** A store that saved {@code state}, then changes one run after the other, without closing (as if killed). */
    List<ProjectState> savedThenChanged(int runs, List<String> uids) {
        def store = StateStore.open(project())
        def states = [initial(runs)]
        store.save(states[0])
        uids.each { states << done(states[-1], it); store.save(states[-1]) }
        store.lock.release()
        store.lockChannel.close()
        states
    }

    def "a save of one changed run appends one line with that run alone, and the snapshot is left as it was"() {
        given:
        def store = StateStore.open(project())
        def state = initial(200)
        store.save(state)
        def snapshot = Files.readString(store.file())

        when:
        store.save(done(state, 'abc-7'))

        then:
        Files.readString(store.file()) == snapshot
        def lines = Files.readAllLines(store.journalFile())
        lines.size() == 1
        lines[0].contains('"uid":"abc-7"')
        !lines[0].contains('abc-8')
        !lines[0].contains('"instances"')

        cleanup:
        store?.close()
    }

    def "a save that changes nothing writes nothing"() {
        given:
        def store = StateStore.open(project())
        store.save(initial(3))

        when:
        store.save(initial(3))

        then:
        !Files.exists(store.journalFile()) || Files.size(store.journalFile()) == 0

        cleanup:
        store?.close()
    }

    def "a project killed after its saves loads every one of them from the journal"() {
        given:
        def states = savedThenChanged(50, ['abc-3', 'abc-40', 'abc-41'])

        when:
        def store = StateStore.open(project())

        then:
        Files.readAllLines(project().resolve('state.journal')).size() == 3
        store.load().get() == states[-1]
        StateStore.peek(project()).get() == states[-1]

        cleanup:
        store?.close()
    }

    def "a torn last line (killed while appending) is ignored, and cut off before the next save"() {
        given:
        def states = savedThenChanged(20, ['abc-1', 'abc-2'])
        def journal = project().resolve('state.journal')
        Files.write(journal, '{"seq":3,"runs":[{"uid":"abc-5","job":"jo'.bytes, java.nio.file.StandardOpenOption.APPEND)

        when:
        def store = StateStore.open(project())
        def loaded = store.load().get()

        then:
        loaded == states[-1]

        when:
        def next = done(loaded, 'abc-9')
        store.save(next)
        store.lock.release()
        store.lockChannel.close()

        then:
        Files.readAllLines(journal).size() == 3
        Files.readAllLines(journal).every { it.startsWith('{"seq":') && it.endsWith('}') }
        StateStore.peek(project()).get() == next
    }

    def "a line that is not JSON before others is refused, and the files are left untouched"() {
        given:
        savedThenChanged(5, ['abc-1', 'abc-2'])
        def journal = project().resolve('state.journal')
        def lines = Files.readAllLines(journal)
        Files.write(journal, (['{ not json'] + lines).collect { it + '\n' }.join('').bytes)
        def before = Files.readString(journal)
        def store = StateStore.open(project())

        when:
        store.load()

        then:
        def e = thrown(StateException)
        e.message.contains(journal.toString())
        e.message.contains('line 1')

        when:
        store.close()

        then:
        Files.readString(journal) == before
    }

    def "killed between writing a new snapshot and emptying the journal, nothing is lost nor replayed twice"() {
        given: 'saves in the journal, a copy of it, then the snapshot written anew and the journal emptied'
        def states = savedThenChanged(30, ['abc-1', 'abc-2'])
        def journal = project().resolve('state.journal')
        def stale = Files.readAllBytes(journal)
        def store = StateStore.open(project())
        def loaded = store.load().get()
        store.close()

        expect:
        loaded == states[-1]
        Files.size(journal) == 0
        Files.readString(project().resolve('state.json')).startsWith('{\n  "journal" : 2,')

        when: 'the journal is as it was before it was emptied, and the run changed again by hand since (not replayed)'
        Files.write(journal, stale)
        def reopened = StateStore.open(project())
        def again = reopened.load().get()

        then:
        again == states[-1]

        when: 'a later save goes on after the lines the snapshot holds'
        def later = done(again, 'abc-30')
        reopened.save(later)
        reopened.lock.release()
        reopened.lockChannel.close()

        then:
        StateStore.peek(project()).get() == later
    }

    def "killed before the new snapshot was renamed, the old snapshot and the journal still give the last state"() {
        given:
        def states = savedThenChanged(10, ['abc-4'])
        Files.writeString(project().resolve('state.json.part'), '{ "format" : "katapult-st')

        expect:
        StateStore.peek(project()).get() == states[-1]
    }

    def "the snapshot is written anew once the journal outgrows it"() {
        given:
        def store = StateStore.open(project())
        def state = initial(4)
        store.save(state)
        def snapshot = Files.size(store.file())

        when:
        int saves = 0
        while (saves < 200 && (Files.size(store.file()) == snapshot)) {
            state = state.updateRun('abc-1', { it.withInstance("box-$saves") })
            store.save(state)
            saves++
        }

        then:
        saves < 200
        Files.size(store.journalFile()) < snapshot
        store.load().get() == state

        cleanup:
        store?.close()
    }

    def "runs added after the others go to the journal; runs taken away write the snapshot anew"() {
        given:
        def store = StateStore.open(project())
        def state = initial(3)
        store.save(state)

        when:
        def more = state.withRuns(state.runs() + [RunRecord.planned('new-1', 'other', 1, 'box')])
        store.save(more)

        then:
        Files.readAllLines(store.journalFile()).size() == 1
        StateStore.peek(project()).get() == more

        when:
        def fewer = more.withRuns(more.runs().subList(1, 4))
        store.save(fewer)

        then:
        Files.size(store.journalFile()) == 0
        StateStore.peek(project()).get() == fewer

        cleanup:
        store?.close()
    }

    def "a store closed after its saves leaves one file: the snapshot holds them all"() {
        given:
        def store = StateStore.open(project())
        def state = initial(5)
        store.save(state)
        store.save(done(state, 'abc-2'))

        when:
        store.close()

        then:
        Files.size(project().resolve('state.journal')) == 0
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(project().resolve('state.json').toFile(), Map)
                .runs.find { it.uid == 'abc-2' }.state == 'DONE'
    }
}
