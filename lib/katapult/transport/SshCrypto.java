package katapult.transport;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import net.schmizz.sshj.Config;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.cipher.Cipher;

/**
 * The cryptography of Katapult's SSH connections, chosen for speed: data moves at link speed only when the cipher
 * runs on the cpu's AES instructions.
 * <p>
 * sshj, when it finds Bouncy Castle, asks it for every cipher, MAC and digest by name. Bouncy Castle's are written in
 * plain Java: 300 MB took 4–9 s to decrypt on a 2-cpu machine where the JDK's own AES-GCM, which the JIT compiles to
 * AES-NI and CLMUL instructions, takes under 2.5 s (BENCHMARKS.md). So the JDK's providers are asked first, in their
 * usual order, and Bouncy Castle stays registered last, for what only it has. The preferred ciphers are then the
 * AES-GCM ones, with ChaCha20-Poly1305 (Bouncy Castle's, in Java) left to servers that offer nothing else.
 */
final class SshCrypto {

    /** The ciphers in the order offered: hardware AES first. */
    static final List<String> CIPHER_ORDER = List.of(
            "aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
            "aes128-ctr", "aes192-ctr", "aes256-ctr");

    private SshCrypto() {
    }

    /** Makes sshj take its algorithms from the JDK first; idempotent, and safe to call from several threads. */
    static synchronized void preferJdkProviders() {
        // the first call lets sshj register Bouncy Castle as it does (appended to the JCA's list), then unnames it
        if (SecurityUtils.getSecurityProvider() != null) {
            SecurityUtils.setRegisterBouncyCastle(false);
            SecurityUtils.setSecurityProvider(null);
        }
    }

    /** Orders {@code config}'s ciphers as {@link #CIPHER_ORDER}, the others after them as sshj had them. */
    static void orderCiphers(Config config) {
        List<Factory.Named<Cipher>> ciphers = new ArrayList<>(config.getCipherFactories());
        ciphers.sort(Comparator.comparingInt(SshCrypto::rank));
        config.setCipherFactories(ciphers);
    }

    private static int rank(Factory.Named<Cipher> cipher) {
        int i = CIPHER_ORDER.indexOf(cipher.getName());
        return i < 0 ? CIPHER_ORDER.size() : i;
    }

    /** The name of the provider sshj's ciphers come from, e.g. "SunJCE". */
    static String cipherProvider(String transformation) throws GeneralSecurityException {
        return SecurityUtils.getCipher(transformation).getProvider().getName();
    }
}
