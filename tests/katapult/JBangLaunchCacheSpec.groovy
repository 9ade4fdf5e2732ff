package katapult

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The ./jbang wrapper's launch cache: `./jbang katapult.java ARGS` keeps the java command line JBang printed and
 * runs it directly while nothing that decides the build changed. Exercised on a small katapult.java of the spec's
 * own (a //SOURCES folder and a //FILES resource), with JBang's folder and the wrapper's cache inside the spec's
 * temp dir. A run that would need JBang is told apart by breaking JBang's class path in the wrapper's cache.
 */
@Timeout(600)
@Requires({ ['mvn', 'java'].every { tool -> System.getenv('PATH').split(':').any { new File(it, tool).canExecute() } } })
@Tag('e2e')
class JBangLaunchCacheSpec extends Specification {

    static final String WRAPPER = Path.of('jbang').toAbsolutePath().toString()
    static final String JBANG_CLI = 'jbang-0.132.1-gson-2.13.1'

    @TempDir
    Path ws

    Path wrapperCache

    /** More environment for the wrapper's runs. */
    Map<String, String> env = [:]

    def setup() {
        Files.createDirectories(ws.resolve('src'))
        Files.writeString(ws.resolve('katapult.java'), '''\
            //JAVA 17+
            //SOURCES src/**.java
            //FILES greeting.txt=greeting.txt
            public class katapult {
                public static void main(String... args) throws Exception {
                    var greeting = katapult.class.getResourceAsStream("/greeting.txt").readAllBytes();
                    System.out.println(Hello.text() + " [" + String.join("|", args) + "] " + new String(greeting).trim());
                }
            }
            '''.stripIndent())
        hello('one')
        Files.writeString(ws.resolve('greeting.txt'), 'hi\n')
        Files.writeString(ws.resolve('other.java'), '''\
            public class other {
                public static void main(String... args) { System.out.println("other " + args.length); }
            }
            '''.stripIndent())
        wrapperCache = Files.createDirectories(ws.resolve("xdg/katapult/$JBANG_CLI"))
        // the wrapper's JBang class path, when this machine has it already: saves fetching JBang through Maven
        def home = System.getenv('XDG_CACHE_HOME') ?: System.getProperty('user.home') + '/.cache'
        def known = Path.of(home, 'katapult', JBANG_CLI, 'classpath')
        if (Files.isRegularFile(known)) {
            Files.copy(known, wrapperCache.resolve('classpath'))
        }
    }

    void hello(String text) {
        Files.writeString(ws.resolve('src/Hello.java'),
                "public class Hello { static String text() { return \"$text\"; } }\n")
    }

    /**
     * katapult.java as a program that prints YES or NO, by whether its JVM's arguments pass TEST (a call on their list),
     * then its own arguments: {@code YES [a|b]}.
     */
    void jvmProbe(String test, String yes, String no) {
        Files.writeString(ws.resolve('katapult.java'), """\
            //JAVA 17+
            public class katapult {
                public static void main(String... args) {
                    boolean passes = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                            $test;
                    System.out.println((passes ? "$yes" : "$no") + " [" + String.join("|", args) + "]");
                }
            }
            """.stripIndent())
    }

    /** Runs the wrapper in ws, never the jbang on PATH, with JBang's folder and the wrapper's cache in ws. */
    List run(String... args) {
        def log = ws.resolve("run-${System.nanoTime()}.log")
        def builder = new ProcessBuilder([WRAPPER, *args]).directory(ws.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile())
        builder.environment().putAll(KATAPULT_WRAPPER_IGNORE_PATH: '1', JBANG_DIR: ws.resolve('jbang-home').toString(),
                XDG_CACHE_HOME: ws.resolve('xdg').toString())
        builder.environment().remove('KATAPULT_NO_LAUNCH_CACHE')
        builder.environment().remove('KATAPULT_NO_CDS')
        builder.environment().remove('KATAPULT_NO_QUICK_JIT')
        builder.environment().putAll(env)
        def process = builder.start()
        assert process.waitFor(500, TimeUnit.SECONDS)
        [process.exitValue(), Files.readString(log)]
    }

    List<Path> entries() {
        def launch = wrapperCache.resolve('launch')
        Files.exists(launch) ? Files.walk(launch).withCloseable { it.filter { Files.isRegularFile(it) }.toList() } : []
    }

    /** From now on, a call that goes through JBang fails: its class path names nothing. */
    void breakJBang() {
        Files.move(wrapperCache.resolve('classpath'), wrapperCache.resolve('classpath.real'))
        Files.writeString(wrapperCache.resolve('classpath'), ws.resolve('no-such.jar').toString())
    }

    void repairJBang() {
        Files.move(wrapperCache.resolve('classpath.real'), wrapperCache.resolve('classpath'),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING)
    }

    def "a second run with nothing changed starts the program without JBang, arguments passed as given"() {
        when:
        def (code1, out1) = run('katapult.java', 'a', 'b c', '$HOME', "it's")

        then:
        code1 == 0
        out1.contains('one [a|b c|$HOME|it\'s] hi')
        entries().size() == 1

        when:
        breakJBang()
        def (code2, out2) = run('katapult.java', 'x y', '*')

        then:
        code2 == 0
        out2.trim() == 'one [x y|*] hi'
    }

    def "a changed source, a changed //FILES resource or a changed script goes through JBang again and runs the new code"() {
        given:
        run('katapult.java')
        def first = entries()

        when: 'a source under //SOURCES changes'
        hello('two')
        def (code, out) = run('katapult.java', 'z')

        then:
        code == 0
        out.contains('two [z] hi')
        entries().size() == 1
        entries() != first

        when: 'a //FILES resource changes'
        Files.writeString(ws.resolve('greeting.txt'), 'hello\n')
        (code, out) = run('katapult.java')

        then:
        out.contains('two [] hello')

        when: 'a new source file appears'
        Files.writeString(ws.resolve('src/Extra.java'), 'class Extra { }\n')
        def before = entries()
        run('katapult.java')

        then:
        entries() != before

        when: 'the script itself changes'
        Files.writeString(ws.resolve('katapult.java'),
                Files.readString(ws.resolve('katapult.java')).replace('" [" +', '" <" +'))
        (code, out) = run('katapult.java', 'q')

        then:
        code == 0
        out.contains('two <q] hello')
    }

    def "the first run makes a class-data archive, the runs after map it, and the JVM adds nothing to their output"() {
        given: 'a program that tells whether its JVM was given the archive'
        jvmProbe('.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile="))', 'cds', 'plain')

        when:
        def (code1, out1) = run('katapult.java', 'a')
        def archives = Files.walk(wrapperCache.resolve('cds')).withCloseable { it.filter { Files.isRegularFile(it) }.toList() }

        then:
        code1 == 0
        out1.trim().endsWith('cds [a]')
        archives.size() == 1
        archives[0].fileName.toString() == entries()[0].fileName.toString() + '.jsa'

        when: 'JBang broken: the cached command line runs, with the archive, its output exactly the program\'s'
        breakJBang()
        def (code2, out2) = run('katapult.java', 'b c')

        then:
        code2 == 0
        out2 == 'cds [b c]\n'

        when:
        env = [KATAPULT_NO_CDS: '1']
        def (code3, out3) = run('katapult.java', 'd')

        then:
        code3 == 0
        out3 == 'plain [d]\n'
    }

    def "a command that moves no bulk data runs on the quick compiler alone; the others, and KATAPULT_NO_QUICK_JIT, keep C2"() {
        given: 'a program that tells whether its JVM stops at the quick compiler'
        jvmProbe('.contains("-XX:TieredStopAtLevel=1")', 'c1', 'c2')
        run('katapult.java', '--version')

        expect:
        run('katapult.java', *args)[1].readLines().last() == shown

        where:
        args                                  || shown
        ['status']                            || 'c1 [status]'
        ['check', 'c.groovy']                 || 'c1 [check|c.groovy]'
        ['--help']                            || 'c1 [--help]'
        ['logs', '--json', 'run']             || 'c1 [logs|--json|run]'
        ['run', 'c.groovy']                   || 'c2 [run|c.groovy]'
        ['fetch']                             || 'c2 [fetch]'
        ['wait', '--timeout', '10']           || 'c2 [wait|--timeout|10]'
    }

    def "KATAPULT_NO_QUICK_JIT keeps C2 for every command"() {
        given:
        Files.writeString(ws.resolve('katapult.java'), '''\
            //JAVA 17+
            public class katapult {
                public static void main(String... args) {
                    boolean quick = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                            .contains("-XX:TieredStopAtLevel=1");
                    System.out.println(quick ? "c1" : "c2");
                }
            }
            '''.stripIndent())
        run('katapult.java', '--version')
        env = [KATAPULT_NO_QUICK_JIT: '1']

        expect:
        run('katapult.java', 'status')[1].readLines().last() == 'c2'
    }

    def "a cached launch starts few programs before java: the key reads the files' times, bash reads the directives"() {
        given: 'the programs a launch might call, each noting its name on the way to the real one'
        run('katapult.java')
        def calls = ws.resolve('calls.log')
        def shims = Files.createDirectories(ws.resolve('shims'))
        ['basename', 'cat', 'cut', 'dirname', 'find', 'grep', 'readlink', 'sed', 'sha256sum', 'sort', 'stat', 'tr',
         'xargs'].each { tool ->
            def real = System.getenv('PATH').split(':').collect { Path.of(it, tool) }.find { Files.isExecutable(it) }
            if (real != null) {
                Files.writeString(shims.resolve(tool), "#!/bin/sh\necho $tool >>'$calls'\nexec '$real' \"\$@\"\n")
                shims.resolve(tool).toFile().setExecutable(true)
            }
        }
        env.PATH = "$shims:${System.getenv('PATH')}".toString()

        when:
        def (code, out) = run('katapult.java', 'x')

        then:
        code == 0
        out.trim() == 'one [x] hi'
        // (find, sort and sha256sum for the key, sha256sum for the folder's; it was 20 programs, a fifth of a second,
        // when the key hashed every source)
        def programs = Files.exists(calls) ? Files.readAllLines(calls) : []
        assert programs.size() <= 4: programs
    }

    def "a cached command line whose jar is gone goes through JBang again"() {
        given:
        run('katapult.java')
        def jars = ws.resolve('jbang-home/cache/jars')

        when:
        jars.toFile().deleteDir()
        def (code, out) = run('katapult.java', 'again')

        then:
        code == 0
        out.contains('one [again] hi')
        out.contains('Building jar')
    }

    def "any other command goes through JBang untouched, and KATAPULT_NO_LAUNCH_CACHE turns the cache off"() {
        when:
        def (code, out) = run('other.java', 'a', 'b')

        then:
        code == 0
        out.contains('other 2')
        entries().isEmpty()

        when: 'with JBang broken, another script cannot run: it did go through JBang'
        breakJBang()
        (code, out) = run('other.java')

        then:
        code != 0

        when:
        repairJBang()
        def builder = new ProcessBuilder(WRAPPER, 'katapult.java').directory(ws.toFile()).redirectErrorStream(true)
        builder.environment().putAll(KATAPULT_WRAPPER_IGNORE_PATH: '1', KATAPULT_NO_LAUNCH_CACHE: '1',
                JBANG_DIR: ws.resolve('jbang-home').toString(), XDG_CACHE_HOME: ws.resolve('xdg').toString())
        def process = builder.start()
        def text = process.inputStream.text

        then:
        process.waitFor(500, TimeUnit.SECONDS)
        process.exitValue() == 0
        text.contains('one [] hi')
        entries().isEmpty()
    }

    def "a script that fails to compile reports JBang's error and its exit code, and caches nothing"() {
        given:
        Files.writeString(ws.resolve('src/Hello.java'), 'public class Hello { broken }\n')

        when:
        def (code, out) = run('katapult.java', 'a')

        then:
        code != 0
        code != 255
        out.contains('error')
        entries().isEmpty()
    }
}
