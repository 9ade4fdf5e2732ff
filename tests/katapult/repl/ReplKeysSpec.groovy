package katapult.repl

import katapult.config.ConfigKeys
import katapult.config.ConfigKeys.Block
import org.jline.reader.Candidate
import org.jline.reader.impl.DefaultParser
import picocli.CommandLine
import picocli.CommandLine.Command
import spock.lang.Specification

/** The REPL completes the job keys of the key table on a Groovy line: a key added to the table is offered as is. */
class ReplKeysSpec extends Specification {

    @Command(name = 'status')
    static class Status implements Runnable {
        void run() {
        }
    }

    def "a Groovy line is offered every job key of the table by its block name"() {
        given:
        def completer = new ReplCompleter(new CommandLine(new Status()), { null })
        String line = 'session.submit { runC'
        List<Candidate> candidates = []

        when:
        completer.complete(null, new DefaultParser().parse(line, line.length()), candidates)

        then:
        candidates*.value().containsAll(ConfigKeys.keys(Block.JOB)*.camel())
        candidates.find { it.value() == 'runCommand' }.descr() == 'string'
    }
}
