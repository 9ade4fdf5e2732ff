package katapult.util;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Counts the bytes of one transfer and tells how it goes: a line every {@link #EVERY_NANOS} while a large transfer
 * runs (bytes so far, of how many when known, and the rate), and a closing summary for one that was large. Small
 * transfers, the usual case, say nothing.
 */
public final class TransferMeter {

    /** A transfer of this many bytes or more is worth a word. */
    public static final long LARGE = 16L << 20;
    static final long EVERY_NANOS = 2_000_000_000L;

    private final String what;
    private final Consumer<String> say;
    private final LongSupplier clock;
    private final long started;
    private long expected = -1;
    private long bytes;
    private long lastSaid;

    /** A meter for {@code what} ("fetch from h1"), telling {@code say}, timed by {@code clock} (nanoseconds). */
    public TransferMeter(String what, Consumer<String> say, LongSupplier clock) {
        this.what = what;
        this.say = say;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastSaid = started;
    }

    /** A meter on the system clock. */
    public TransferMeter(String what, Consumer<String> say) {
        this(what, say, System::nanoTime);
    }

    /** The size of the whole transfer, when it is known. */
    public void expect(long total) {
        this.expected = total;
    }

    /** Counts {@code n} more bytes moved. */
    public void add(long n) {
        bytes += n;
        long now = clock.getAsLong();
        if (now - lastSaid >= EVERY_NANOS && Math.max(bytes, expected) >= LARGE) {
            lastSaid = now;
            say.accept(what + ": " + size(bytes) + (expected > 0 ? " of " + size(expected) : "") + " at "
                    + rate(bytes, now - started));
        }
    }

    public long bytes() {
        return bytes;
    }

    /** The closing line of a large transfer ("300.0 MB in 1.3 s (231 MB/s)"), said once it is done. */
    public void done() {
        if (bytes >= LARGE) {
            long took = clock.getAsLong() - started;
            say.accept(what + ": " + size(bytes) + " in " + String.format(Locale.ROOT, "%.1f s", took / 1e9) + " ("
                    + rate(bytes, took) + ")");
        }
    }

    /** Bytes in decimal units, as transfer tools show them. */
    public static String size(long bytes) {
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
        if (bytes < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    private static String rate(long bytes, long nanos) {
        return nanos <= 0 ? "-" : String.format(Locale.ROOT, "%.0f MB/s", bytes / 1e6 / (nanos / 1e9));
    }
}
