package katapult.remote;

/**
 * The disk of an instance's project folder as its poll reports it (df): bytes an unprivileged user may still write,
 * and bytes in all.
 */
public record DiskSpace(long free, long total) {

    /** {@code 12.3 GB free of 100.0 GB}. */
    public String line() {
        return bytes(free) + " free of " + bytes(total);
    }

    /** Bytes as people read them, decimal units: 800 B, 1.5 kB, 21.0 MB, 1.2 GB, 3.0 TB. */
    public static String bytes(long n) {
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        if (n < 1000) {
            return n + " B";
        }
        double value = n;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
