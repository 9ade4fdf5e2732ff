package katapult.session;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import katapult.remote.Protocol;
import katapult.remote.RemoteLayout;
import katapult.transport.Shell;

/**
 * Tells each instance which of its runs' results are stored here ({@code fetch.sh R --ack}), only once the files are
 * written and the state that says so is saved: the instance counts a run fetched (and may then stop, or a one-time
 * spot instance terminate) only on this word, so a fetch this machine failed to store never loses a result.
 *
 * <p>Best effort: an acknowledgement that does not arrive only makes the instance wait longer. Runs not acknowledged
 * yet are sent again at the next round that reaches their instance; the first time this process reaches an instance,
 * every run already fetched from it goes along, for an acknowledgement a killed Katapult never sent.
 */
final class FetchAcks {

    private static final Duration LIMIT = Duration.ofMinutes(1);
    /** How long after an acknowledgement that did not arrive it is tried again on its own. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private final RemoteLayout layout;
    /** instance → rids stored here whose acknowledgement has not arrived. */
    private final ConcurrentHashMap<String, Set<String>> pending = new ConcurrentHashMap<>();
    /** Instances whose earlier fetched runs this process has queued for acknowledgement. */
    private final Set<String> caughtUp = ConcurrentHashMap.newKeySet();
    /** instance → when its acknowledgement may be tried again on its own (System.nanoTime), after one failed. */
    private final Map<String, Long> retryAt = new ConcurrentHashMap<>();

    FetchAcks(RemoteLayout layout) {
        this.layout = layout;
    }

    /** The runs of {@code instance} whose results are stored and saved here: to acknowledge. */
    void stored(String instance, Collection<String> rids) {
        if (!rids.isEmpty()) {
            pending.computeIfAbsent(instance, k -> ConcurrentHashMap.newKeySet()).addAll(rids);
        }
    }

    /**
     * The runs fetched from {@code instance} in an earlier process, acknowledged (again) with the first
     * acknowledgement of this process; later calls for the same instance add nothing.
     */
    void catchUp(String instance, Collection<String> fetchedRids) {
        if (caughtUp.add(instance)) {
            stored(instance, fetchedRids);
        }
    }

    /**
     * The instances with runs to acknowledge whose last try is {@link #RETRY} old: an instance that cannot be reached
     * (stopped, say) is not tried every round.
     */
    Set<String> waiting() {
        long now = System.nanoTime();
        return pending.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey).filter(name -> now - retryAt.getOrDefault(name, now) >= 0)
                .collect(Collectors.toSet());
    }

    /** Sends the acknowledgements waiting for {@code instance} in one exec; returns whether they arrived. */
    boolean send(Shell shell, String instance) {
        Set<String> waiting = pending.get(instance);
        if (waiting == null || waiting.isEmpty()) {
            return true;
        }
        List<String> rids = List.copyOf(waiting);
        String stdin = rids.stream().map(rid -> rid + "\n").collect(Collectors.joining());
        boolean arrived;
        try {
            arrived = shell.exec(layout.on(instance).command("fetch.sh", Protocol.ACK), stdin, LIMIT).ok();
        } catch (IOException | RuntimeException e) {
            arrived = false;
        }
        if (arrived) {
            waiting.removeAll(rids);
            retryAt.remove(instance);
        } else {
            retryAt.put(instance, System.nanoTime() + RETRY.toNanos());
        }
        return arrived;
    }
}
