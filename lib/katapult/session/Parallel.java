package katapult.session;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
}
