package katapult.remote

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification

/**
 * The protocol's words are defined once on each side: templates/protocol.sh for the scripts, Protocol and
 * ReasonCode for Katapult. This spec keeps the two in agreement, and the scripts and docs/PROTOCOL.md honest.
 */
class ProtocolSpec extends Specification {

    static final Path BASE = Path.of(System.getProperty('basedir', '.'))
    static final Path TEMPLATES = BASE.resolve('templates')

    /** protocol.sh's definitions, NAME → value. */
    static Map<String, String> shellWords() {
        Files.readAllLines(TEMPLATES.resolve('protocol.sh'))
                .collect { (it =~ /^([A-Z][A-Z_]*)=(\S+)/) }
                .findAll { it.find() }
                .collectEntries { [it.group(1), it.group(2)] }
    }

    /** The same definitions as Katapult's Java spells them. */
    static Map<String, String> javaWords() {
        Map<String, String> words = [:]
        Protocol.State.values().each { words[it.shellName()] = it.name() }
        Protocol.EnvState.values().each { words[it.shellName()] = it.name() }
        Protocol.Agent.values().each { words[it.shellName()] = it.word() }
        Protocol.ExitCode.values().each { words[it.shellName()] = String.valueOf(it.code()) }
        Protocol.Shutdown.values().each { words[it.shellName()] = it.word() }
        Protocol.ShutdownReason.values().each { words[it.shellName()] = it.word() }
        ReasonCode.values().each { words[it.shellName()] = it.name() }
        words
    }

    /** A script's code without its comments (whole-line ones, and trailing ones after two spaces). */
    static String code(String script) {
        Files.readAllLines(TEMPLATES.resolve(script)).findAll { !it.trim().startsWith('#') }
                .collect { it.replaceAll(/\s{2,}#\s.*$/, '') }.join('\n')
    }

    def "protocol.sh and the Java constants define the same words"() {
        expect:
        shellWords() == javaWords()
    }

    def "every script but protocol.sh spells states and reason codes through protocol.sh: #script"() {
        given:
        def words = (Protocol.State.values()*.name() + ReasonCode.values()*.name()
                - ['IDLE'])   // agent.sh's IDLE is its idle time in seconds, not a state
        def body = code(script)

        expect:
        words.findAll { body =~ /(?<![\w$])${it}(?!\w)/ } == []

        where:
        script << AgentScripts.NAMES - ['protocol.sh'] + [RemoteScript.TEMPLATE]
    }

    def "every run file Katapult names is one the scripts use"() {
        given:
        def scripts = (AgentScripts.NAMES - ['protocol.sh'] + [RemoteScript.TEMPLATE]).collect { code(it) }.join('\n')

        expect:
        Protocol.RunFile.values().findAll { f -> !scripts.contains('/' + f.fileName()) && !scripts.contains(f.fileName() + ' ') } == []
    }

    def "docs/PROTOCOL.md names every state, reason code, run file, exit code and lifecycle word"() {
        given:
        def doc = Files.readString(BASE.resolve('docs/PROTOCOL.md'))
        def words = Protocol.State.values()*.name() + Protocol.EnvState.values()*.name() + ReasonCode.values()*.name() +
                Protocol.RunFile.values()*.fileName() + Protocol.ExitCode.values().collect { String.valueOf(it.code()) } +
                Protocol.Shutdown.values()*.word() + Protocol.ShutdownReason.values()*.word()

        expect:
        words.findAll { !doc.contains('`' + it + '`') } == []
    }

    def "an old agent's prose reason still tells its code: #prose"() {
        expect:
        ReasonCode.of(null, prose) == code
        ReasonCode.of('NOT_A_CODE_YET', prose) == code

        where:
        prose                                                           || code
        'process vanished'                                              || ReasonCode.LOST_PROCESS
        'instance rebooted'                                             || ReasonCode.LOST_REBOOT
        'stopped'                                                       || ReasonCode.STOPPED
        'exit code 3'                                                   || ReasonCode.EXIT_NONZERO
        'exit code 137 (killed by signal KILL)'                         || ReasonCode.EXIT_SIGNAL
        "output 'a/b.txt' was not produced"                             || ReasonCode.OUTPUT_MISSING
        "output 'x' is a link to /tmp/y, outside the run's folder (never read)" || ReasonCode.OUTPUT_LINK_OUT
        "output 'x' is a link that leads nowhere"                       || ReasonCode.OUTPUT_LINK_OUT
        "output 'x' is a folder, not a file"                            || ReasonCode.OUTPUT_NOT_FILE
        'the work folder is missing'                                    || ReasonCode.WORK_MISSING
        "the run's work folder was removed or replaced by a link"       || ReasonCode.WORK_REPLACED
        'environment py-1 is not ready'                                 || ReasonCode.ENV_NOT_READY
        'environment py-1 failed: pip failed (exit 1)'                  || ReasonCode.ENV_FAILED
        'environment py-1 failed: it was never installed on this instance' || ReasonCode.ENV_NOT_INSTALLED
        'something else'                                                || null
        null                                                            || null
    }

    def "a code the instance wrote wins over the prose"() {
        expect:
        ReasonCode.of('EXIT_NONZERO', 'stopped') == ReasonCode.EXIT_NONZERO
        ReasonCode.STOPPED.transientLoss() && ReasonCode.LOST_PROCESS.transientLoss() && ReasonCode.LOST_REBOOT.transientLoss()
        ReasonCode.values().findAll { it.transientLoss() }.size() == 3
    }
}
