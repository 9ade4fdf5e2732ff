package katapult.repl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.stream.Collectors;

import katapult.session.RunView;
import katapult.session.Status;
import katapult.terminal.Tables;
import org.codehaus.groovy.runtime.FormatHelper;

/** How a value computed at the prompt is shown: runs one per line, a status as its table, the rest as Groovy does. */
final class Shown {

    private Shown() {
    }

    /** The text to print for a line's value, or null for none. */
    static String of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Status status) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            Tables.print(status, new PrintStream(buffer, true, StandardCharsets.UTF_8), false);
            return buffer.toString(StandardCharsets.UTF_8).stripTrailing();
        }
        if (value instanceof RunView run) {
            return run(run);
        }
        if (value instanceof Collection<?> items && !items.isEmpty() && items.stream().allMatch(i -> i instanceof RunView)) {
            return items.stream().map(i -> run((RunView) i)).collect(Collectors.joining("\n"));
        }
        return "=> " + FormatHelper.toString(value);
    }

    static String run(RunView view) {
        Long elapsed = view.elapsedSeconds(Instant.now().getEpochSecond());
        return view.run().job() + "/" + view.run().repeat() + "  " + view.state()
                + (view.run().instance() == null ? "" : "  on " + view.run().instance())
                + (view.run().exit() == null ? "" : "  exit " + view.run().exit())
                + (elapsed == null ? "" : "  " + elapsed + "s")
                + (view.run().reason() == null ? "" : "  (" + view.run().reason() + ")");
    }
}
