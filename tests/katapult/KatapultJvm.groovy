package katapult

import java.nio.file.Path

/** Katapult as a JVM of its own (the test class path), for the specs that kill it; its output goes to a log in ws. */
class KatapultJvm {

    /** Starts {@code args[0] -C ws args[1..]} with {@code main}, the JVM options and extra environment given. */
    static Process start(Path ws, List<String> args, List<String> jvmOptions = [], Map<String, String> environment = [:],
                         String main = 'katapult.cli.Main') {
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def command = [java, *jvmOptions, '-cp', System.getProperty('java.class.path'), main,
                       args[0], '-C', ws.toString()] + args.drop(1)
        def builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ws.resolve("katapult-${System.nanoTime()}.log").toFile())
        builder.environment().putAll(environment)
        builder.start()
    }
}
