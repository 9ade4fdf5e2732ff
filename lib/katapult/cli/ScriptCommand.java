package katapult.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "script", mixinStandardHelpOptions = true,
        description = {"Run a Groovy script written against the scripting API (katapult.Katapult).",
                "It runs on Katapult's own Groovy: nothing else to install. The script sees `args` (ARGS) and `workspace` (-C).",
                "See examples/sweep.groovy and examples/pipeline.groovy."})
final class ScriptCommand extends KatapultSubcommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The Groovy script.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments given to the script as `args`.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Binding binding = new Binding();
        binding.setVariable("workspace", workspace.toAbsolutePath().normalize());
        binding.setVariable("out", new PrintWriter(console.out(), true));
        GroovyShell shell = new GroovyShell(ScriptCommand.class.getClassLoader(), binding);
        Object result;
        try {
            result = shell.run(file.toFile(), args.toArray(String[]::new));
        } catch (RuntimeException e) {
            if (e.getClass().getName().startsWith("katapult.")) {
                throw e;
            }
            console.error(file + " failed: " + e);
            for (StackTraceElement frame : e.getStackTrace()) {
                if (frame.getFileName() != null && frame.getFileName().equals(file.getFileName().toString())) {
                    console.err().println("\tat " + frame);
                }
            }
            return ExitCodes.FAILED;
        }
        return result instanceof Integer code ? code : ExitCodes.OK;
    }
}
