package katapult.transport;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import katapult.util.Hashes;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Pinned host keys. A host whose key is in the user's {@code known_hosts} is checked against it; any other host is
 * checked against the project's own file, where its key is recorded at first contact. A key that differs from the
 * recorded one is refused, with both fingerprints and the way to forget the old key. Nothing is ever accepted
 * blindly.
 * <p>
 * A key is pinned under the host's address, or under a name of the machine itself (as OpenSSH's
 * {@code HostKeyAlias}): a cloud reuses the addresses of machines it has let go, so a new machine at an old address
 * must not meet the old machine's pin.
 */
public final class HostKeys {

    private static final Object WRITE_LOCK = new Object();

    private final Path projectFile;
    private final Path userFile;

    public HostKeys(Path projectFile, Path userFile) {
        this.projectFile = projectFile;
        this.userFile = userFile;
    }

    public Path projectFile() {
        return projectFile;
    }

    /** A verifier for one connection attempt; after a refusal, {@link Check#refusal()} says why. */
    public Check check(String host, int port) {
        return check(host, port, List.of());
    }

    /**
     * As {@link #check(String, int)}, for a host that announced its keys' fingerprints out of band (a cloud
     * instance prints them on its console): a key met for the first time is pinned only when it is one of them.
     */
    public Check check(String host, int port, List<String> announced) {
        return check(host, port, null, announced);
    }

    /**
     * As {@link #check(String, int, List)}, with the key pinned under {@code pinName} (a cloud instance's id) instead
     * of the address; null: the address.
     */
    public Check check(String host, int port, String pinName, List<String> announced) {
        return new Check(host, port, pinName, List.copyOf(announced));
    }

    /** The verifier sshj calls, and what it found. */
    public final class Check implements HostKeyVerifier {

        private final String host;
        private final int port;
        private final String name;
        private final String forgetName;
        private final List<String> announced;
        private volatile String refusal;

        private Check(String host, int port, String pinName, List<String> announced) {
            this.host = host;
            this.port = port;
            this.name = pinName != null ? pinName : SshTarget.knownHostsName(host, port);
            this.forgetName = pinName != null ? pinName : port == 22 ? host : host + ":" + port;
            this.announced = announced;
        }

        /** The name the key is pinned under, with the address when that is another. */
        private String described() {
            String address = SshTarget.knownHostsName(host, port);
            return name.equals(address) ? name : name + " (" + address + ")";
        }

        /** Why the key was refused, or null. */
        public String refusal() {
            return refusal;
        }

        @Override
        public boolean verify(String hostname, int p, PublicKey key) {
            try {
                Verdict user = verdict(read(userFile), name, key);
                if (user.matched) {
                    return true;
                }
                if (!user.expected.isEmpty()) {
                    refusal = changedMessage(described(), user.expected, key, userFile,
                            "ssh-keygen -R " + ShellQuote.quote(name) + " (it is in your own known_hosts)");
                    return false;
                }
                synchronized (WRITE_LOCK) {
                    Verdict pinned = verdict(read(projectFile), name, key);
                    if (pinned.matched) {
                        return true;
                    }
                    if (!pinned.expected.isEmpty()) {
                        refusal = changedMessage(described(), pinned.expected, key, projectFile,
                                "katapult forget-host " + forgetName);
                        return false;
                    }
                    if (!announced.isEmpty() && !announced.contains(fingerprint(key))) {
                        refusal = "host key of " + described() + " (" + KeyType.fromKey(key) + " " + fingerprint(key)
                                + ") is not one the host announced (" + String.join(", ", announced)
                                + "). Refusing to connect: someone may be intercepting the connection.";
                        return false;
                    }
                    pin(name, key);
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                refusal = "cannot check the host key of " + described() + ": " + e.getMessage();
                return false;
            }
        }

        @Override
        public List<String> findExistingAlgorithms(String hostname, int p) {
            Set<String> algorithms = new LinkedHashSet<>();
            for (Path file : List.of(userFile, projectFile)) {
                try {
                    for (OpenSSHKnownHosts.KnownHostEntry entry : read(file)) {
                        if (entry.appliesTo(name) && entry.getType() != KeyType.UNKNOWN) {
                            algorithms.add(entry.getType().toString());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // an unreadable file adds no preference; verify() reports it
                }
            }
            // an RSA key is offered under the rsa-sha2 names too
            if (algorithms.contains("ssh-rsa")) {
                algorithms.add("rsa-sha2-512");
                algorithms.add("rsa-sha2-256");
            }
            return new ArrayList<>(algorithms);
        }
    }

    private record Verdict(boolean matched, List<String> expected) { }

    private static Verdict verdict(List<OpenSSHKnownHosts.KnownHostEntry> entries, String name, PublicKey key)
            throws IOException {
        List<String> expected = new ArrayList<>();
        for (OpenSSHKnownHosts.KnownHostEntry entry : entries) {
            if (!entry.appliesTo(name)) {
                continue;
            }
            if (entry.appliesTo(KeyType.fromKey(key), name) && entry.verify(key)) {
                return new Verdict(true, List.of());
            }
            expected.add(fingerprintOfLine(entry.getLine()));
        }
        return new Verdict(false, expected);
    }

    private static String changedMessage(String name, List<String> expected, PublicKey offered, Path file, String fix) {
        return "host key of " + name + " has CHANGED: expected " + String.join(" or ", expected) + " (recorded in "
                + file + "), offered " + KeyType.fromKey(offered) + " " + fingerprint(offered)
                + ". Refusing to connect: someone may be intercepting the connection, or the host was reinstalled."
                + " If you trust the new key, forget the old one with: " + fix;
    }

    private void pin(String name, PublicKey key) throws IOException {
        Files.createDirectories(projectFile.toAbsolutePath().getParent());
        String line = name + " " + KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob(key)) + "\n";
        Files.writeString(projectFile, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static List<OpenSSHKnownHosts.KnownHostEntry> read(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        return new OpenSSHKnownHosts(new StringReader(Files.readString(file, StandardCharsets.UTF_8))).entries();
    }

    /**
     * Forgets the pinned keys of {@code host} ({@code host}, {@code host:port} or {@code [host]:port}) in the project's
     * file; without a port, every port of that host. Returns the lines removed.
     */
    public int forget(String host) throws IOException {
        String wanted = host.strip().toLowerCase(Locale.ROOT);
        String plain;
        String withPort = null;
        if (wanted.startsWith("[") && wanted.contains("]:")) {
            withPort = wanted;
            plain = null;
        } else if (wanted.matches("[^:\\[\\]]+:\\d{1,5}")) {
            int colon = wanted.lastIndexOf(':');
            withPort = SshTarget.knownHostsName(wanted.substring(0, colon), Integer.parseInt(wanted.substring(colon + 1)));
            plain = null;
        } else {
            plain = wanted;
        }
        synchronized (WRITE_LOCK) {
            if (!Files.isRegularFile(projectFile)) {
                return 0;
            }
            List<String> kept = new ArrayList<>();
            int removed = 0;
            for (String line : Files.readAllLines(projectFile, StandardCharsets.UTF_8)) {
                String field = line.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                boolean match = false;
                for (String name : field.split(",")) {
                    match |= withPort != null ? name.equals(withPort)
                            : name.equals(plain) || name.startsWith("[" + plain + "]:");
                }
                if (match && !line.isBlank()) {
                    removed++;
                } else {
                    kept.add(line);
                }
            }
            if (removed > 0) {
                Path tmp = projectFile.resolveSibling(projectFile.getFileName() + ".tmp");
                Files.write(tmp, kept, StandardCharsets.UTF_8);
                Files.move(tmp, projectFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return removed;
        }
    }

    /** {@code SHA256:<base64>} as OpenSSH prints it. */
    public static String fingerprint(PublicKey key) {
        return sha256(blob(key));
    }

    private static String fingerprintOfLine(String line) {
        String[] fields = line.strip().split("\\s+");
        for (int i = fields.length - 1; i >= 1; i--) {
            try {
                byte[] decoded = Base64.getDecoder().decode(fields[i]);
                if (decoded.length > 16) {
                    return fields[i - 1] + " " + sha256(decoded);
                }
            } catch (IllegalArgumentException notBase64) {
                // a comment: keep looking left
            }
        }
        return "(unreadable entry)";
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    private static String sha256(byte[] data) {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(Hashes.sha256(data));
    }
}
