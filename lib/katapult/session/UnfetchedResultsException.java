package katapult.session;

import java.util.List;

/**
 * {@code down} would destroy results that could not be fetched: nothing was removed. Names the runs, and the two ways
 * on: fetch them once their instances answer, or {@code --discard-unfetched}.
 */
public final class UnfetchedResultsException extends SessionException {

    private static final int SHOWN = 10;

    private final List<String> runs;

    UnfetchedResultsException(List<String> runs) {
        super(message(runs));
        this.runs = List.copyOf(runs);
    }

    /** The runs whose results would be lost, each as "job/repeat on instance: why". */
    public List<String> runs() {
        return runs;
    }

    private static String message(List<String> runs) {
        StringBuilder text = new StringBuilder("down refused: " + runs.size() + " finished run(s) could not be"
                + " fetched, and removing their instances would lose their results:");
        runs.stream().limit(SHOWN).forEach(run -> text.append("\n  ").append(run));
        if (runs.size() > SHOWN) {
            text.append("\n  … and ").append(runs.size() - SHOWN).append(" more");
        }
        return text.append("\nNothing was removed. Run `katapult fetch` once their instances answer, or"
                + " `katapult down --discard-unfetched` to remove everything anyway (those results are lost).")
                .toString();
    }
}
