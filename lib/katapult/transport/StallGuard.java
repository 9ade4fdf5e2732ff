package katapult.transport;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends a streaming command that has sent nothing for a while. A transfer of any size may take as long as it needs
 * while bytes keep coming; one whose other end went quiet (a hung disk, a host that froze without dropping the
 * connection) is ended instead of blocking its reader forever. Blocked reads cannot be interrupted, so the guard
 * runs {@code abort} (closing the channel or killing the process), which makes them fail.
 */
final class StallGuard implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "katapult-stall-guard");
        thread.setDaemon(true);
        return thread;
    });
    private final Duration limit;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;

    StallGuard(Duration limit, Runnable abort) {
        this.limit = limit;
        long period = Math.max(50, Math.min(1000, limit.toMillis() / 4));
        timer.scheduleAtFixedRate(() -> {
            if (!stalled && System.nanoTime() - lastProgress > limit.toNanos()) {
                stalled = true;
                abort.run();
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** {@code in}, counting every byte read from it as progress. */
    InputStream watch(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                lastProgress = System.nanoTime();
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                lastProgress = System.nanoTime();
                return n;
            }
        };
    }

    /** {@code out}, counting every write that went through as progress. */
    OutputStream watch(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                lastProgress = System.nanoTime();
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                lastProgress = System.nanoTime();
            }
        };
    }

    /** Whether the guard ended the command. */
    boolean stalled() {
        return stalled;
    }

    /** The exception to throw for a stalled command on {@code where}. */
    IOException stallError(String where) {
        return new IOException("no data from " + where + " for " + limit.toSeconds() + " s: the transfer was ended");
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
