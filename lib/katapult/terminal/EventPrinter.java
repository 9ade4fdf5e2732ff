package katapult.terminal;

import java.util.function.Consumer;

import katapult.session.Event;
import katapult.state.RunRecord;
import katapult.state.RunState;

/** Prints a session's events as progress lines on stderr. */
public final class EventPrinter implements Consumer<Event> {

    private final Console console;
    private int level;
    private boolean verbose;
    /** Where lines go while a live view owns the terminal, or null: the console. */
    private volatile Consumer<String> diverted;

    public EventPrinter(Console console, int level) {
        this.console = console;
        level(level);
    }

    /** 0: warnings only; 1: steps and finished runs; 2 and up: every change and fetch. */
    public void level(int newLevel) {
        this.level = newLevel;
        this.verbose = newLevel >= 2;
    }

    /**
     * Sends the lines to {@code sink} instead of the console (null: the console again): a live view prints them
     * above its frame, since a line written into the frame would share a line with it and be drawn over.
     */
    public void divert(Consumer<String> sink) {
        this.diverted = sink;
    }

    @Override
    public void accept(Event event) {
        if (event instanceof Event.Warning warning) {
            print("warning: " + warning.message());
        } else if (level == 0) {
            return;
        } else if (event instanceof Event.Step step) {
            print("[" + step.step() + "] " + step.message());
        } else if (event instanceof Event.RunChanged changed) {
            runChanged(changed);
        } else if (event instanceof Event.Fetched fetched && verbose) {
            print("[fetch] " + fetched.run().job() + "/" + fetched.run().repeat() + " → " + fetched.folder());
        }
    }

    private void runChanged(Event.RunChanged changed) {
        RunRecord run = changed.run();
        boolean retry = run.state() == RunState.WAIT && run.attempt() > 1;
        if (verbose || run.state().finished() || retry || run.state() == RunState.PREEMPTED) {
            print("[run] " + run.job() + "/" + run.repeat() + " on " + run.instance() + ": "
                    + changed.from() + " → " + run.state()
                    + (retry ? " (attempt " + run.attempt() + ")" : "")
                    + (run.reason() != null ? " (" + run.reason() + ")" : ""));
        }
    }

    private void print(String line) {
        Consumer<String> sink = diverted;
        if (sink != null) {
            sink.accept(line);
        } else {
            console.progress(line);
        }
    }
}
