package katapult.terminal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import katapult.session.ProgressLine;
import katapult.session.RunView;
import katapult.session.Session;
import katapult.session.SessionException;
import katapult.session.Status;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.NonBlockingReader;

/**
 * The live view of {@code watch} (and of {@code wait} on a terminal): the status table, redrawn in place every
 * second while the session is driven (polled, fetched, dependent runs sent off), until a key is pressed.
 */
public final class LiveView {

    /** How a live view ended. */
    public enum End { KEY, SETTLED, TIMEOUT }

    private static final Duration REFRESH = Duration.ofSeconds(1);
    /** Reading the cost asks the provider (for aws, one DescribeInstances): not every second. */
    private static final Duration COST_REFRESH = Duration.ofSeconds(30);

    private LiveView() {
    }

    /**
     * The lines of one frame: a header with the elapsed time and the cost so far (null: none the provider can
     * tell), the status table, a footer with the hint.
     */
    public static List<String> frame(Status status, Duration elapsed, String cost, String hint) {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Tables.print(status, new PrintStream(buffer, true, StandardCharsets.UTF_8), false);
        String[] table = buffer.toString(StandardCharsets.UTF_8).split("\n", -1);
        lines.add(table[0] + " — watching for " + Tables.duration(elapsed.toSeconds())
                + (cost == null ? "" : " — " + cost));
        if (!status.runs().isEmpty()) {
            lines.add(ProgressLine.of(status.runs().stream().map(RunView::run).toList(),
                    Instant.now().getEpochSecond()));
        }
        for (int i = 1; i < table.length; i++) {
            lines.add(table[i]);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        lines.add("");
        lines.add(hint);
        return lines;
    }

    /**
     * Redraws the view on {@code terminal} until a key is pressed, or (with {@code stopWhenSettled}) every run is
     * finished and fetched, or {@code timeout} (null: none) passes. Only 'q' counts as a key when
     * {@code onlyQ}.
     */
    public static End show(Terminal terminal, Session session, boolean stopWhenSettled, Duration timeout, boolean onlyQ,
                    String hint) throws IOException {
        return show(terminal, session, null, stopWhenSettled, timeout, onlyQ, hint);
    }

    /**
     * As {@link #show(Terminal, Session, boolean, Duration, boolean, String)}, with the session's event lines (from
     * {@code events}, null: none diverted) printed above the frame, each on its own line.
     */
    public static End show(Terminal terminal, Session session, EventPrinter events, boolean stopWhenSettled,
                           Duration timeout, boolean onlyQ, String hint) throws IOException {
        Instant began = Instant.now();
        Display display = new Display(terminal, false);
        Attributes saved = terminal.enterRawMode();
        NonBlockingReader keys = terminal.reader();
        List<String> above = new CopyOnWriteArrayList<>();
        if (events != null) {
            events.divert(above::add);
        }
        String cost = null;
        Instant costRead = null;
        try {
            while (true) {
                boolean settled = session.advance();
                printAbove(display, terminal, above);
                Status status = session.status();
                if (costRead == null || Duration.between(costRead, Instant.now()).compareTo(COST_REFRESH) >= 0) {
                    cost = session.cost().map(c -> c.spend().line()).orElse(null);
                    costRead = Instant.now();
                }
                List<String> frame = frame(status, Duration.between(began, Instant.now()), cost, hint);
                int rows = Math.max(3, terminal.getHeight() > 0 ? terminal.getHeight() - 1 : 40);
                if (frame.size() > rows) {
                    List<String> cut = new ArrayList<>(frame.subList(0, rows - 2));
                    cut.add("… " + (frame.size() - rows + 1) + " more line(s)");
                    cut.add(hint);
                    frame = cut;
                }
                display.resize(Math.max(1, terminal.getHeight()), Math.max(20, terminal.getWidth()));
                display.update(frame.stream().map(AttributedString::new).toList(), -1);
                terminal.flush();
                if (stopWhenSettled && settled) {
                    return End.SETTLED;
                }
                if (timeout != null && Duration.between(began, Instant.now()).compareTo(timeout) > 0) {
                    return End.TIMEOUT;
                }
                Instant next = Instant.now().plus(REFRESH);
                while (Instant.now().isBefore(next)) {
                    int c = keys.read(Math.max(1, Duration.between(Instant.now(), next).toMillis()));
                    if (c == NonBlockingReader.EOF) {
                        return End.KEY;
                    }
                    if (c >= 0 && (!onlyQ || c == 'q' || c == 'Q')) {
                        return End.KEY;
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new SessionException("interrupted");
                }
            }
        } finally {
            if (events != null) {
                events.divert(null);
            }
            terminal.setAttributes(saved);
            terminal.writer().println();
            above.forEach(terminal.writer()::println);
            terminal.flush();
        }
    }

    /** Erases the frame, prints the waiting lines where it was, so that the next frame is drawn below them. */
    private static void printAbove(Display display, Terminal terminal, List<String> above) {
        if (above.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>(above);
        above.removeAll(lines);
        display.update(List.of(), 0);
        for (String line : lines) {
            terminal.writer().print(line + "\r\n");
        }
        terminal.flush();
    }
}
