package katapult.transport;

import java.nio.file.Path;

/** Paths that come from another machine are hostile until proven to stay inside the folder meant for them. */
public final class SafePaths {

    private SafePaths() {
    }

    /**
     * {@code base/relative}, or an exception naming the path when it is absolute, climbs out with {@code ..},
     * or holds characters no sane file name has.
     */
    public static Path inside(Path base, String relative) {
        if (relative == null || relative.isBlank() || relative.startsWith("/") || relative.startsWith("\\")
                || relative.indexOf('\0') >= 0 || relative.contains("\n")) {
            throw new UnsafePathException("refusing remote path '" + printable(relative) + "': not a relative path");
        }
        Path root = base.toAbsolutePath().normalize();
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new UnsafePathException("refusing remote path '" + printable(relative) + "': it leaves " + root);
        }
        return target;
    }

    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}]", "?");
    }

    /** A remote path that would land outside the folder meant for it. */
    public static final class UnsafePathException extends RuntimeException {
        public UnsafePathException(String message) {
            super(message);
        }
    }
}
