package katapult.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import katapult.transport.SshConnections.HostKeyException;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordUtils;

/**
 * Opens one SSH connection: checks the host key against the pins (refusing with {@link HostKeyException}), then
 * logs in with the target's key, else the user's usual keys.
 */
final class SshLogin {

    private final SshSettings settings;
    private final HostKeys hostKeys;

    SshLogin(SshSettings settings, HostKeys hostKeys) {
        SshCrypto.preferJdkProviders();
        this.settings = settings;
        this.hostKeys = hostKeys;
    }

    /** A connection to {@code target}, its host key checked against the pins, logged in with the user's keys. */
    SSHClient connect(SshTarget target, String pinName, List<String> announced) throws IOException {
        DefaultConfig config = new DefaultConfig();
        SshCrypto.orderCiphers(config);
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient c = new SSHClient(config);
        HostKeys.Check check = hostKeys.check(target.host(), target.port(), pinName, announced);
        c.addHostKeyVerifier(check);
        int timeout = (int) settings.connectTimeout().toMillis();
        c.setConnectTimeout(timeout);
        c.setTimeout(timeout);
        try {
            c.connect(target.host(), target.port());
        } catch (TransportException e) {
            closeQuietly(c);
            if (check.refusal() != null) {
                throw new HostKeyException(check.refusal());
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        try {
            c.setTimeout(0);
            c.getConnection().getKeepAlive().setKeepAliveInterval((int) Math.max(1, settings.keepAlive().toSeconds()));
            c.authPublickey(target.user(), keys(c, target));
            return c;
        } catch (UserAuthException e) {
            closeQuietly(c);
            throw new IOException("authentication refused for user '" + target.user() + "' with "
                    + keyNames(target) + " (is the public key in ~" + target.user() + "/.ssh/authorized_keys?)", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private List<Path> keyFiles(SshTarget target) {
        if (target.key() != null) {
            return List.of(target.key());
        }
        List<Path> found = new ArrayList<>();
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            Path p = settings.sshDir().resolve(name);
            if (Files.isRegularFile(p)) {
                found.add(p);
            }
        }
        return found;
    }

    private String keyNames(SshTarget target) {
        List<Path> files = keyFiles(target);
        return files.isEmpty() ? "no key (none given, none in " + settings.sshDir() + ")"
                : "key " + String.join(", ", files.stream().map(Path::toString).toList());
    }

    private List<KeyProvider> keys(SSHClient c, SshTarget target) throws IOException {
        List<Path> files = keyFiles(target);
        if (files.isEmpty()) {
            throw new IOException("no private key to log in to " + target + ": give the instance a 'key', or"
                    + " create " + settings.sshDir().resolve("id_ed25519"));
        }
        List<KeyProvider> providers = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isReadable(file)) {
                throw new IOException("cannot read the private key " + file);
            }
            providers.add(settings.passphrase() == null ? c.loadKeys(file.toString())
                    : c.loadKeys(file.toString(), PasswordUtils.createOneOff(settings.passphrase().toCharArray())));
        }
        return providers;
    }

    private static void closeQuietly(SSHClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing to save
        }
    }
}
