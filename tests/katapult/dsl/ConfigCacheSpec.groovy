package katapult.dsl

import java.nio.file.Files
import java.nio.file.Path
import katapult.config.Config
import katapult.config.ConfigException
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.customizers.ImportCustomizer
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A pure config script's recorded tree stands in for running it again; anything that could read the world keeps
 * the script running every time; the binder still reads the files; a bad entry is a miss.
 */
class ConfigCacheSpec extends Specification {

    @TempDir
    Path dir

    ConfigCache cache() {
        ConfigCache.of([(ConfigCache.VARIABLE): dir.resolve('cache').toString()])
    }

    List<Path> entries() {
        Path folder = dir.resolve('cache')
        Files.isDirectory(folder) ? Files.list(folder).withCloseable { it.toList() } : []
    }

    Path write(String name, String text) {
        Path file = dir.resolve(name)
        Files.writeString(file, text)
        file
    }

    static String config(String project = "'p'", String command = "'echo hi'") {
        """katapult {
    project ${project}
    instance { name 'box'; cpus 1 }
    job { name 'j'; runCommand ${command} }
}
"""
    }

    def "a pure config is recorded once, and the record is what a later load binds, not the script"() {
        given:
        Path file = write('c.groovy', config())

        when:
        Config first = ConfigLoader.load(file, cache())

        then:
        first.project() == 'p'
        entries().size() == 1

        when: 'the record is changed behind the loader: a load that ran the script would not see it'
        Path entry = entries()[0]
        Files.writeString(entry, Files.readString(entry).replace('"p"', '"recorded"'))

        then:
        ConfigLoader.load(file, cache()).project() == 'recorded'
    }

    def "a config loaded from its record equals the one its script makes"() {
        given:
        Path file = write('c.groovy', text)

        when:
        Config ran = ConfigLoader.load(file, ConfigCache.of([(ConfigCache.VARIABLE): 'off']))
        Config recording = ConfigLoader.load(file, cache())
        Config recorded = ConfigLoader.load(file, cache())

        then:
        entries().size() == 1
        recording == ran
        recorded == ran

        where:
        text << [config(),
                 config("'p'", '"echo ${1 + 1} " + [1, 2, 3].collect { it * 2 }.join(",")'),
                 '''def grid = (1..5).collectEntries { [("k$it".toString()): it] }
def shell(String s) { "bash -c '$s'" }
config = [project: 'm', instances: [[name: 'box', cpus: 2]],
          jobs: [[name: 'j', run_command: shell('x'), sweep_params: [a: 1..3, b: [1.5, 2L, 'x']], repeat: 2,
                  time_limit: Duration.ofMinutes(5)]]]
''',
                 '''katapult {
    project 'loop'
    instance { name 'box'; cpus 2 }
    for (int i = 1; i <= 20; i++) {
        job { name "j$i"; runCommand "echo $i > o.txt"; outputFiles 'o.txt'; cpusReq i % 2 + 1 }
    }
}
''']
    }

    def "every good fixture and example loads from its record into the same config, but three that call outside"() {
        given:
        List<Path> files = (Files.list(Path.of('tests/fixtures/good')).withCloseable { it.toList() }
                + Files.list(Path.of('examples')).withCloseable { it.toList() })
                .findAll { it.fileName.toString().endsWith('.groovy') && Files.readString(it) =~ /(?m)^(katapult \{|config = \[)/ }
                .sort()
        List<Path> notRecorded = []

        expect:
        files.each { file ->
            int before = entries().size()
            Config ran = ConfigLoader.load(file, ConfigCache.of([(ConfigCache.VARIABLE): 'off']))
            assert ConfigLoader.load(file, cache()) == ran
            if (entries().size() == before) {
                notRecorded << file
            } else {
                assert ConfigLoader.load(file, cache()) == ran: "$file from its record"
            }
        }
        files.size() >= 15
        // groovy.time.TimeCategory (a category), katapult.config.ConfigBinder.sha6 (a class named in full)
        notRecorded*.toString() == ['tests/fixtures/good/aws.block.groovy', 'tests/fixtures/good/local.block.groovy',
                                    'tests/fixtures/good/local.map.groovy']
    }

    /** What {@link PureScript} says of a script, compiled (not run) as the loader compiles it. */
    static boolean judgedPure(String text) {
        PureScript purity = new PureScript()
        CompilerConfiguration cc = new CompilerConfiguration()
        cc.scriptBaseClass = KatapultScript.name
        cc.addCompilationCustomizers(new ImportCustomizer().addImports('java.time.Duration'), new ScriptAst(), purity)
        new GroovyShell(cc).parse(text, 'c.groovy')
        purity.pure()
    }

    def "a script that could read the world is judged impure and never recorded: #what"() {
        given:
        Path file = write('c.groovy', text)

        when:
        boolean pure = judgedPure(text)
        try {
            ConfigLoader.load(file, cache())
        } catch (ConfigException ignored) {
            // some fail to bind or to run; what counts is that nothing was recorded
        }

        then:
        !pure
        entries().isEmpty()

        where:
        what                           | text
        'an environment variable'      | config("System.getenv('USER') ?: 'p'")
        'a file'                       | config("new File('/etc/hostname').text.trim()")
        'a file by a cast'             | config("('/etc/hostname' as File).text.trim()")
        'a process'                    | config("'p'", "'echo ' + 'hostname'.execute().text")
        'the clock'                    | config("'p' + System.currentTimeMillis()")
        'a date'                       | config("'p' + new Date().year")
        'randomness'                   | config("'p' + Math.random()")
        'printing'                     | "println 'hello'\n" + config()
        'evaluate'                     | config("evaluate(\"'p'\")")
        'the script class'             | config("this.class.simpleName")
        'a value\'s class'             | config("'p'.class.protectionDomain.codeSource.location.path")
        'the binding'                  | config("binding.variables.size() > 0 ? 'a' : 'p'")
        'a variable never set'         | config("undefinedName ?: 'p'")
        'a static import'              | "import static java.lang.System.getenv\n" + config("getenv('USER') ?: 'p'")
        'an import renamed'            | "import java.lang.System as BigDecimal\n" + config("BigDecimal.getenv('USER') ?: 'p'")
        'an import'                    | "import java.nio.file.Files\n" + config()
        'an annotated import'          | "@SuppressWarnings('x')\nimport java.time.Duration\n" + config()
        'an annotated declaration'     | "@groovy.transform.Field String p = 'p'\n" + config('p')
        'a class of the script'        | "class Helper { static String p() { 'p' } }\n" + config('Helper.p()')
        'a parameter\'s default value' | "def name(String n = System.getenv('USER')) { 'p' }\n" + config('name()')
        'a closure parameter default'  | "def f = { String n = System.getenv('USER') -> 'p' }\n" + config('f()')
        'a method named by a value'    | "def m = 'toLowerCase'\n" + config("'P'.\"\$m\"()")
        'sleep'                        | "sleep(1)\n" + config()
        'a category'                   | "use(groovy.time.TimeCategory) { 1.minute }\n" + config()
        'a look into the block'        | "def c = { runCommand delegate.recorder.toString() }\n" + config("'p'", "'x'; c.delegate = delegate; c()")
        'a property of this'           | config("this.binding ? 'p' : 'q'")
        'a name of the script\'s own'  | "def f = { def evaluate = 1 }\n" + config("evaluate(\"'p'\")")
        'a method of Groovy\'s'        | "def sleep(long n) { n }\n" + config()
        'a script property by a name'  | "def g = { def binding = 1 }\n" + config("binding.variables ? 'q' : 'p'")
        'a package'                    | "package x\n" + config()
        'a class looked into'          | config("'p' + Duration.package.implementationVersion")
        'a class kept in a variable'   | "def c = String\n" + config("'p' + c.simpleName")
    }

    def "a pure script that fails or has a problem is not recorded: #what"() {
        given:
        Path file = write('c.groovy', text)

        when:
        ConfigLoader.load(file, cache())

        then:
        judgedPure(text)
        thrown(ConfigException)
        entries().isEmpty()

        where:
        what                | text
        'it fails'          | config("'p'", "1 / 0")
        'a key given twice' | config("'p'\n    project 'q'")
        'an unknown key'    | config("'p'\n    projekt = 'q'")
    }

    def "scripts of the language's usual shapes are judged pure: #what"() {
        expect:
        judgedPure(text)

        where:
        what                        | text
        'the block form'            | config()
        'the map form'              | "config = [project: 'p', jobs: [[name: 'j', run_command: 'x']]]"
        'def config'                | "def config = [project: 'p']"
        'a loop and placeholders'   | "katapult { project 'p'\n (1..3).each { i -> job { name \"j\$i\"; runCommand \"echo \${i * 2}\" } } }"
        'a helper method'           | "def cmd(int n) { 'run ' + n }\n" + config("'p'", 'cmd(1)')
        'a shared closure'          | "def common = { cpusReq 2 }\n" + config("'p'", "'x'; common.delegate = delegate; common()")
        'a duration'                | config("'p'", "'x'; timeLimit Duration.ofMinutes(5)")
        'arithmetic and a switch'   | "def n = 3\nswitch (n) { case 3: n = Math.max(n, 4); break }\n" + config("'p' + n")
        'a classic for and a while' | "int t = 0\nfor (int i = 0; i < 3; i++) { t += i }\nwhile (t > 10) { t-- }\n" + config("'p' + t")
    }

    def "an impure config follows what it reads at every load"() {
        given:
        Path name = dir.resolve('name.txt')
        Files.writeString(name, 'first')
        Path file = write('c.groovy', config("new File('${name}').text.trim()"))

        expect:
        ConfigLoader.load(file, cache()).project() == 'first'

        when:
        Files.writeString(name, 'second')

        then:
        ConfigLoader.load(file, cache()).project() == 'second'
        entries().isEmpty()
    }

    def "the binder still reads the config's files when the script is not run"() {
        given:
        Path input = dir.resolve('in.dat')
        Files.writeString(input, 'x')
        Path file = write('c.groovy', """katapult {
    project 'p'
    instance { name 'box'; cpus 1 }
    job { name 'j'; runCommand 'cat in.dat'; inputFiles 'in.dat' }
}
""")
        ConfigLoader.load(file, cache())

        when:
        Files.delete(input)
        ConfigLoader.load(file, cache())

        then:
        ConfigException e = thrown()
        entries().size() == 1
        e.message.contains('in.dat')
    }

    def "an entry that cannot be read is a miss: the script runs and the entry is written anew"() {
        given:
        Path file = write('c.groovy', config())
        ConfigLoader.load(file, cache())
        Path entry = entries()[0]
        Files.writeString(entry, garbage)

        expect:
        ConfigLoader.load(file, cache()).project() == 'p'
        RawCodec.decode(Files.readAllBytes(entry)).isPresent()

        where:
        garbage << ['', '{"format":1,"form":"BLOCK","root":{"map":0,"keys":[["project",2', 'not json',
                    '{"format":99,"form":"BLOCK","root":{"map":0,"keys":[]}}']
    }

    def "KATAPULT_CONFIG_CACHE=off records nothing; the default folder is under the user's cache"() {
        given:
        Path file = write('c.groovy', config())

        when:
        ConfigLoader.load(file, ConfigCache.of([(ConfigCache.VARIABLE): 'off']))

        then:
        entries().isEmpty()
        ConfigCache.of([(ConfigCache.VARIABLE): 'off']).toString() == 'off'
        ConfigCache.of([XDG_CACHE_HOME: '/x/cache']).toString() == '/x/cache/katapult/configs'
        ConfigCache.of([:]).toString() == Path.of(System.getProperty('user.home'), '.cache', 'katapult', 'configs').toString()
    }

    def "the oldest entries go beyond #ConfigCache.KEPT"() {
        given:
        ConfigCache cache = cache()
        katapult.config.RawMap root = new katapult.config.RawMap(0)

        when:
        (1..ConfigCache.KEPT + 5).each { cache.keep("text $it", katapult.config.ConfigForm.BLOCK, root) }

        then:
        entries().size() == ConfigCache.KEPT
        Files.exists(cache.entry("text ${ConfigCache.KEPT + 5}"))
    }
}
