package katapult.session;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import katapult.state.RunRecord;
import katapult.state.RunState;

/**
 * A "where are we" line while waiting ({@link ProgressLine}: done, running, failed, waiting, ETA): when the run counts change (at most every few seconds), and now and then
 * when nothing does, so a long wait never looks like a hang.
 */
final class Progress {

    private static final Duration MIN_GAP = Duration.ofSeconds(3);
    private static final Duration MAX_SILENCE = Duration.ofSeconds(60);

    private final Consumer<Event> listener;
    private final Instant began = Instant.now();
    private String lastCounts = "";
    private Instant lastReport = Instant.MIN;

    Progress(Consumer<Event> listener) {
        this.listener = listener;
    }

    void report(List<RunRecord> runs) {
        Instant now = Instant.now();
        Map<RunState, Integer> byState = new EnumMap<>(RunState.class);
        runs.forEach(r -> byState.merge(r.state(), 1, Integer::sum));
        String counts = counts(byState);
        boolean changed = !counts.equals(lastCounts);
        Duration since = lastReport == Instant.MIN ? MAX_SILENCE : Duration.between(lastReport, now);
        if ((changed && since.compareTo(MIN_GAP) >= 0) || since.compareTo(MAX_SILENCE) >= 0) {
            long seconds = Duration.between(began, now).toSeconds();
            listener.accept(new Event.Step("wait", ProgressLine.of(runs, now.getEpochSecond()) + " (waited "
                    + ProgressLine.duration(seconds) + ")"));
            lastCounts = counts;
            lastReport = now;
        }
    }

    private static String counts(Map<RunState, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}
