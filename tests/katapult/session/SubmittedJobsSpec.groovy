package katapult.session

import java.nio.file.Files
import java.nio.file.Path

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.config.Config
import katapult.config.ConfigException
import katapult.config.KeptNames
import katapult.config.Problem
import katapult.dsl.ConfigLoader
import katapult.dsl.JobForms
import katapult.state.StateStore
import spock.lang.Specification
import spock.lang.TempDir

/** Jobs the scripting API submits are saved with the project as JSON; those saved as Groovy by older versions load. */
class SubmittedJobsSpec extends Specification {

    @TempDir
    Path ws

    Config base() {
        Path file = ws.resolve('base.groovy')
        Files.writeString(file, "katapult { project 'p'; autoStop false; instance { name 'box'; cpus 4 } }")
        ConfigLoader.load(file)
    }

    def "a submitted job is saved as JSON with the map form's keys and binds back to the same job"() {
        given:
        Config base = base()
        def job = JobForms.bindMap([name: 'x', run_command: "echo 'it''s' > o.txt", output_files: ['o.txt'], repeat: 2,
                                    cpus_req: 2], ws, base).jobs().last()

        when:
        Path file = Additions.save(ws.resolve('added'), job)
        Map saved = new ObjectMapper().readValue(file.toFile(), Map)

        then:
        file.fileName.toString() == '0001-x.json'
        saved.format == Additions.FORMAT
        saved.job == [name: 'x', cpus_req: 2, run_command: "echo 'it''s' > o.txt", output_files: ['o.txt'], repeat: 2]

        when:
        Config loaded = Additions.load(file, base, KeptNames.NONE)

        then:
        loaded.jobs()*.name() == ['x']
        loaded.jobs().last().asGiven() == job.asGiven()

        and: 'the next one is numbered after it'
        Additions.save(ws.resolve('added'), job).fileName.toString() == '0002-x.json'
    }

    def "a job built in code with a grid and a metrics file is saved and binds back to the same job"() {
        given:
        Config base = base()
        def built = new JobBuilder().name('g').command('echo ${lr} ${seed} > m.json').sweep('lr', 0.1, 0.01)
                .sweep('seed', 1, 2, 3).metricsFile('m.json').build()
        def job = JobForms.bindSpec(built, ws, base).jobs().last()

        when:
        Path file = Additions.save(ws.resolve('added'), job)
        def again = Additions.load(file, base, new KeptNames([:])).jobs().last()

        then:
        job.sweep().names() == ['lr', 'seed']
        job.runCount() == 6
        job.metricsFile() == 'm.json'
        job.outputFiles() == ['m.json']
        again == job
    }

    def "a job built in code with a placeholder naming no parameter is refused"() {
        when:
        JobForms.bindSpec(new JobBuilder().name('g').command('echo ${lrr}').sweep('lr', 1).build(), ws, base())

        then:
        def e = thrown(ConfigException)
        e.message.contains('placeholder ${lrr} names no parameter')
    }

    def "a JSON file that is not a saved job is refused, naming the file"() {
        given:
        Path file = ws.resolve('0001-y.json')
        Files.writeString(file, text)

        when:
        Additions.load(file, base(), KeptNames.NONE)

        then:
        ConfigException e = thrown()
        e.message.contains(file.toString())
        e.message.contains(why)

        where:
        text                                   || why
        '{"job": {"run_command": "true"}}'     || 'not a katapult-submitted-job/1 file'
        '{"format": "katapult-submitted-job/1"' || 'not JSON'
    }

    def "a project whose submitted jobs were saved as Groovy by an older version resumes with them, next to JSON ones"() {
        given: 'a project opened once, then given one job in the old Groovy form and one in JSON'
        Config base = base()
        Session.open(ws, ws.resolve('base.groovy'), { }).close()
        Path added = Session.stateDir(ws, 'p').resolve('added')
        Files.createDirectories(added)
        Path old = added.resolve('0001-old.groovy')
        Files.writeString(old, """// Added to the running session by the scripting API (submit).
config = [
    jobs: [[
        name: 'old',
        run_command: 'echo old > o.txt',
        output_files: ['o.txt'],
    ]],
]
""")
        def fresh = JobForms.bindMap([name: 'fresh', run_command: 'echo new'], ws, base).jobs().last()
        Path json = Additions.save(added, fresh)
        StateStore store = StateStore.open(Session.stateDir(ws, 'p'))
        store.save(store.load().get().with { it.withConfigFiles(it.configFiles() + [old.toString(), json.toString()]) })
        store.close()

        when:
        Session session = Session.resume(ws, 'p', { })

        then:
        session.config().jobs()*.name() == ['old', 'fresh']
        session.job('old').spec().outputFiles() == ['o.txt']
        session.job('fresh').spec().runCommand() == 'echo new'

        cleanup:
        session?.close()
    }

    def "a job name already taken is a problem with its own code naming the job, not only a message"() {
        given:
        Config base = base()
        Config withX = JobForms.bindMap([name: 'x', run_command: 'true'], ws, base)

        when:
        JobForms.bindMap([name: 'x', run_command: 'false'], ws, withX)

        then:
        ConfigException e = thrown()
        Problem taken = e.problems().find { it.code() == Problem.Code.JOB_NAME_TAKEN }
        taken.subject() == 'x'

        expect: 'the same job again is recognised by that code; another job of that name is refused'
        Submissions.bind(withX, { JobForms.bindMap([name: 'x', run_command: 'true'], ws, it) }) ==
                new Submissions.Bound(withX.jobs().last(), false)

        when:
        Submissions.bind(withX, { JobForms.bindMap([name: 'x', run_command: 'false'], ws, it) })

        then:
        thrown(ConfigException)
    }
}
