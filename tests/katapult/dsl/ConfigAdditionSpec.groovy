package katapult.dsl

import java.nio.file.Path
import katapult.config.Config
import katapult.config.ConfigException
import katapult.config.TempConfig
import spock.lang.Specification
import spock.lang.TempDir

/** katapult add FILE: a file of more jobs (or environments, instances) checked against the config it adds to. */
class ConfigAdditionSpec extends Specification {

    @TempDir
    Path dir

    TempConfig t
    Config base

    def setup() {
        t = new TempConfig(dir)
        t.file('run.py', 'print(1)\n')
        t.file('sub/other.py', 'print(2)\n')
        base = t.load('''katapult {
            project 'exp'
            debug 1
            instance { name 'box'; cpus 4; explode false }
            environment 'py', { envPypi(['numpy']) }
            job 'prepare', { envName 'py'; runCommand 'echo data > data.txt'; outputFiles 'data.txt' }
            job { envName 'py'; runScript 'run.py 1' }
        }''', 'base.groovy')
    }

    Config add(String text, String name = 'add.groovy') {
        ConfigLoader.loadAddition(t.file(name, text), base)
    }

    String addProblems(String text, String name = 'add.groovy') {
        try {
            add(text, name)
        } catch (ConfigException e) {
            return e.problems()*.toString().join('\n')
        }
        throw new AssertionError('the addition loaded')
    }

    def "an addition of jobs comes after base's jobs, with everything else kept (#form form)"() {
        when:
        Config merged = add(text)

        then:
        merged.project() == 'exp'
        merged.source() == base.source()
        merged.instances() == base.instances()
        merged.environments() == base.environments()
        merged.jobs()[0..1] == base.jobs()
        merged.jobs()[2].name() == 'train'
        merged.jobs()[2].envName() == 'py'
        merged.jobs()[2].after() == ['prepare']
        merged.debug() == 1

        where:
        form    | text
        'block' | "katapult { job 'train', { runScript 'run.py 2'; after 'prepare' } }"
        'map'   | "config = [jobs: [[name: 'train', run_script: 'run.py 2', after: 'prepare']]]"
    }

    def "global keys in the addition replace base's, and unnamed instances go on counting"() {
        when:
        Config merged = add("katapult { debug 3; autoStop false; instance { cpus 2 }; instance { cpus 1 } }")

        then:
        merged.debug() == 3
        !merged.autoStop()
        merged.recover() == base.recover()
        merged.instances()*.name() == ['box', 'local-2', 'local-3']
    }

    def "paths of an addition resolve against its own folder, and default names hash from base's folder"() {
        when:
        Config fromSub = ConfigLoader.loadAddition(t.file('sub/add.groovy', "config = [jobs: [[run_script: 'other.py 1']]]"), base)
        Config fromTop = add("config = [jobs: [[run_script: 'sub/other.py 1']]]")

        then:
        fromSub.jobs()[2].runScript().script() == dir.resolve('sub/other.py')
        fromSub.jobs()[2].name() == fromTop.jobs()[2].name()
    }

    def "an addition is checked against its base: #expected"() {
        expect:
        addProblems(text).contains(expected)

        where:
        text                                                                                 || expected
        "config = [jobs: [[name: 'prepare', run_command: 'x']]]"                            || "add.groovy:1: a job named 'prepare' is already in the config this file adds to"
        "config = [jobs: [[run_script: 'run.py 1']]]"                                       || "is already in the config this file adds to; job names must be unique (give this one a 'name', or raise 'repeat' there)"
        "config = [environments: [[name: 'py']]]"                                           || "two environments are named 'py' (the other in the config this file adds to)"
        "config = [instances: [[name: 'box']]]"                                             || "two instances are named 'box' (the other in the config this file adds to)"
        "config = [jobs: [[run_command: 'x', env_name: 'pyy']]]"                            || "'env_name' names no environment: 'pyy'; did you mean 'py'?"
        "config = [jobs: [[run_command: 'x', after: 'prepar']]]"                            || "which is not a job; did you mean 'prepare'?"
        "config = [jobs: [[run_command: 'x', cpus_req: 5]]]"                                || "asks for 5 cpus ('cpus_req') but the largest instance, 'box', has 4"
        "config = [project: 'other']"                                                       || "'project' cannot change in an addition: the config it adds to is project 'exp'"
        "config = [provider: 'aws']"                                                        || "'provider' cannot change in an addition: the config it adds to uses 'local'"
        "config = [environments: [[env_pypi: 'scipy']]]"                                    || "this environment needs a 'name': there are 2 environments (with those of the config it adds to)"
        "config = [environments: [[name: 'r']], jobs: [[run_command: 'x']]]"                || "this job needs an 'env_name': there are several environments (py, r)"
    }

    def "an addition may repeat the project and provider, and add bigger instances for bigger jobs"() {
        when:
        Config merged = add("config = [project: 'exp', provider: 'local', instances: [[cpus: 8, explode: false]], jobs: [[run_command: 'x', cpus_req: 8, env_name: 'py']]]")

        then:
        merged.instances()*.cpus() == [4, 8]
        merged.jobs()[2].cpusReq() == 8
    }

    def "with no environment in base, a lone unnamed environment of the addition is named default"() {
        given:
        base = t.load("config = [project: 'bare', jobs: [[name: 'a', run_command: 'x']]]", 'bare.groovy')

        when:
        Config merged = add("config = [environments: [[env_pypi: ['numpy']]], jobs: [[name: 'b', run_command: 'y']]]")

        then:
        merged.environments()*.name() == ['default']
        merged.jobs()*.envName() == [null, 'default']
    }

    def "an empty addition changes nothing"() {
        expect:
        add('config = [:]') == base
        add('katapult { }') == base
    }
}
