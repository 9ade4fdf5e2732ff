package katapult.session;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import katapult.plan.InstancePlan;
import katapult.state.InstanceRecord;

/** Works every instance at once (bounded), so N instances cost about one instance's time. */
final class Parallel {

    private static final int MAX_THREADS = 16;

    private Parallel() {
    }

    interface Work<T> {
        void run(T item) throws Exception;
    }

    /** Runs {@code work} for each item; returns the failures by item (empty when all went well). */
    static <T> Map<T, Exception> each(Collection<T> items, Work<T> work) {
        Map<T, Exception> failures = new LinkedHashMap<>();
        if (items.isEmpty()) {
            return failures;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_THREADS, items.size()), runnable -> {
            Thread thread = new Thread(runnable, "katapult-instance");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<T, Future<?>> futures = new LinkedHashMap<>();
            for (T item : items) {
                futures.put(item, pool.submit(() -> {
                    work.run(item);
                    return null;
                }));
            }
            for (Map.Entry<T, Future<?>> entry : futures.entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    failures.put(entry.getKey(), e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.put(entry.getKey(), e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }

    /** Throws one error naming every instance that failed {@code step}, with why; nothing when none did. */
    static void orThrow(String step, Map<?, Exception> failures) {
        if (failures.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(step + " failed on " + failures.size() + " instance(s):");
        failures.forEach((what, e) -> message.append("\n  ").append(name(what)).append(": ").append(e.getMessage()));
        throw new SessionException(message.toString(), failures.values().iterator().next());
    }

    private static String name(Object what) {
        if (what instanceof InstancePlan plan) {
            return plan.name();
        }
        if (what instanceof InstanceRecord record) {
            return record.name();
        }
        return String.valueOf(what);
    }
}
