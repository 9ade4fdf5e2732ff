package katapult.dsl

import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.nio.file.Path
import katapult.config.Config
import katapult.config.ConfigKeys
import katapult.config.ConfigKeys.Block
import katapult.config.RawMap
import katapult.config.TempConfig
import spock.lang.Specification
import spock.lang.TempDir

/** The block form: its delegates, and Groovy at work inside it. */
class DslBlockFormSpec extends Specification {

    @TempDir
    Path dir

    TempConfig t

    def setup() {
        t = new TempConfig(dir)
        t.file('run.py', 'print(1)\n')
        t.file('in.dat', '1\n')
    }

    def "one generic delegate serves every block: it declares no method per key"() {
        expect:
        BlockDelegate.declaredMethods.findAll { Method m -> Modifier.isPublic(m.modifiers) && !m.synthetic }*.name
                .toSet() == ['methodMissing', 'propertyMissing'] as Set
        KatapultScript.getMethod('katapult', Closure).parameters[0].getAnnotation(DelegatesTo).value() == BlockDelegate
    }

    def "every key of the #block table is recorded under its map name when called by its block name (no helper of the delegate hides one)"() {
        given:
        def ctx = new DslContext('none.groovy', 'cfg.groovy')
        def root = new RawMap(0)
        def delegate = new BlockDelegate(new Recorder(ctx, block, root))
        def plain = ConfigKeys.keys(block).findAll { it.type().opens() == null }

        when:
        plain.each { delegate."${it.camel()}"('v') } // through Groovy's dispatch, as a config script calls

        then:
        ctx.problems.empty
        root.keys() as Set == plain*.name() as Set

        where:
        block << Block.values()
    }

    def "'key value', 'key(value)' and 'key = value' mean the same"() {
        expect:
        TempConfig.withoutSource(t.load(a, 'a.groovy')) == TempConfig.withoutSource(t.load(b, 'b.groovy'))

        where:
        a                                                        | b
        "katapult { project 'p'; job { runCommand 'echo' } }"    | "katapult { project('p'); job { runCommand('echo') } }"
        "katapult { project 'p'; job { repeat 2; runCommand 'x' } }" | "katapult { project = 'p'; job { repeat = 2; runCommand = 'x' } }"
        "katapult { project 'p'; job { inputFiles 'in.dat'; runCommand 'x' } }" | "katapult { project 'p'; job { inputFiles = ['in.dat']; runCommand 'x' } }"
    }

    def "named blocks may be written with the name first or inside"() {
        expect:
        TempConfig.withoutSource(t.load(a, 'a.groovy')) == TempConfig.withoutSource(t.load(b, 'b.groovy'))

        where:
        a                                                                         | b
        "katapult { project 'p'; environment 'py', { envPypi 'numpy' } }"         | "katapult { project 'p'; environment { name 'py'; envPypi 'numpy' } }"
        "katapult { project 'p'; job 'j', { runCommand 'x' } }"                   | "katapult { project 'p'; job { name 'j'; runCommand 'x' } }"
        "katapult { project 'p'; job('j') { runCommand 'x' } }"                   | "katapult { project 'p'; job { name 'j'; runCommand 'x' } }"
    }

    def "lists are written as several arguments or as one list"() {
        when:
        Config c = t.load("""katapult {
            environment { envAptget 'git', 'curl'; envConda(['numpy', 'scipy']); envJulia 'Wavelets' }
            job { runCommand 'x'; outputFiles 'a.txt', 'b.txt'; after() }
        }""")

        then:
        c.environments()[0].aptget() == ['git', 'curl']
        c.environments()[0].conda() == new katapult.config.PackageSource.Packages(['numpy', 'scipy'])
        c.environments()[0].julia() == ['Wavelets']
        c.jobs()[0].outputFiles() == ['a.txt', 'b.txt']
        c.jobs()[0].after() == []
    }

    def "Groovy works inside the blocks: variables, loops, helper methods and closures of the binding"() {
        when:
        Config c = t.load('''
            def script(int n) { "run.py $n" }
            base = 'in'
            shared = { cpusReq 1; inputFiles "${base}.dat" }
            def common = { repeat 2 }
            katapult {
                (1..3).each { n ->
                    job {
                        runScript script(n)
                        shared()
                        common()
                    }
                }
            }''')

        then:
        c.jobs()*.runScript()*.args() == [['1'], ['2'], ['3']]
        c.jobs()*.repeat() == [2, 2, 2]
        c.jobs()*.inputFiles().flatten().unique() == [dir.resolve('in.dat')]
    }

    def "one closure may serve several blocks"() {
        when:
        Config c = t.load('''
            def spec = { runCommand 'echo'; repeat 3 }
            katapult {
                job 'a', spec
                job 'b', spec
            }''')

        then:
        c.jobs()*.name() == ['a', 'b']
        c.jobs()*.repeat() == [3, 3]
    }

    def "a block method called the wrong way is explained: #expected"() {
        expect:
        t.messages(text).contains(expected)

        where:
        text                                              || expected
        "katapult { job 'x' }"                            || "'job' takes a block: job { ... } or job 'its-name', { ... }"
        "katapult { instance 'x' }"                       || "'instance' takes a block: instance { ... }"
        "katapult { job { runCommand 'a', 'b' } }"        || "'runCommand' takes one value, got 2"
        "katapult { jobs = [] }"                          || "unknown key 'jobs' in the katapult block; did you mean 'job'?"
        "katapult { job { instance { cpus 1 } } }"        || "'instance' cannot be set in a job: it belongs in the katapult block"
        "katapult { job { runCommand 'x'; foo = 1 } }"    || "unknown key 'foo' in a job"
        "katapult { }\nkatapult { }"                      || "a file holds one katapult { } block; the first is at line 1"
        "cpus 2\nkatapult { }"                            || "'cpus' must be written inside instance { } in the katapult { } block"
        "project 'x'\nkatapult { }"                       || "'project' must be written inside the katapult { } block"
    }

    def "each key is placed at the line of its call"() {
        when:
        def problems = t.problems('''katapult {
            instance {
                cpus 0
                number 'two'
            }
            job {
                runCommand 'x'
                repeat 0
            }
        }''')

        then:
        problems.collect { [it.line(), it.message().takeWhile { it != ' ' }] } ==
                [[3, "'cpus'"], [4, "'number'"], [8, "'repeat'"]]
    }
}
