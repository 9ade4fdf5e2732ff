package katapult.cli

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Specification
import spock.lang.TempDir

/** `katapult generate-completion`: picocli's bash/zsh completion script for the whole command tree. */
class CompletionSpec extends Specification {

    @TempDir
    Path dir

    def "generate-completion prints a completion script naming every subcommand, and bash accepts it"() {
        when:
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), 'generate-completion')
        def script = out.toString()

        then:
        code == 0
        script.contains('complete -F _complete_katapult')
        ['run', 'check', 'status', 'logs', 'fetch', 'down', 'forget-host', 'repl'].every { script.contains(it) }

        when: 'bash sources it and asks for the words after "katapult st"'
        def file = Files.writeString(dir.resolve('katapult-completion.bash'), script)
        def probe = ". '$file'; COMP_WORDS=(katapult st); COMP_CWORD=1; COMP_LINE='katapult st'; COMP_POINT=11;" +
                ' _complete_katapult; printf "%s\\n" "${COMPREPLY[@]}"'
        def p = new ProcessBuilder('bash', '-c', probe).redirectErrorStream(true).start()
        def words = p.inputStream.text.readLines()*.trim().findAll()

        then:
        p.waitFor(20, TimeUnit.SECONDS)
        words.containsAll(['start', 'status', 'stop'])
    }

    def "katapult with no command lists generate-completion"() {
        when:
        def out = new ByteArrayOutputStream()
        Main.run(new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream(), true))

        then:
        out.toString().contains('generate-completion')
    }
}
