package katapult.transport;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an SSH shell goes: user, host, port and the private key to log in with (null: the {@code ~/.ssh} defaults).
 * Its {@link #handle()} {@code user@host:port} names it in state and messages.
 */
public record SshTarget(String user, String host, int port, Path key) {

    private static final Pattern HANDLE = Pattern.compile("(?:([^@\\s]+)@)?(\\[[^\\]]+\\]|[^:@\\s]+)(?::(\\d{1,5}))?");

    public SshTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("an SSH target needs a host");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("SSH port out of range: " + port);
        }
        if (user == null || user.isBlank()) {
            user = System.getProperty("user.name");
        }
    }

    /** Parses {@code [user@]host[:port]} ({@code [v6addr]:port} for IPv6); missing parts come from the defaults. */
    public static SshTarget parse(String text, String defaultUser, int defaultPort, Path key) {
        Matcher m = HANDLE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a host: '" + text + "' (expected [user@]host[:port])");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = m.group(3) == null ? defaultPort : Integer.parseInt(m.group(3));
        return new SshTarget(m.group(1) == null ? defaultUser : m.group(1), host, port, key);
    }

    /** {@code user@host:port}: what the state records and the pool keys connections by. */
    public String handle() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The host as known_hosts files name it: {@code host} on port 22, {@code [host]:port} otherwise. */
    public String knownHostsName() {
        return knownHostsName(host, port);
    }

    public static String knownHostsName(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        return port == 22 ? h : "[" + h + "]:" + port;
    }

    @Override
    public String toString() {
        return handle();
    }
}
