package katapult.provider.aws;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import katapult.util.Hashes;
import katapult.util.KatapultHome;

/**
 * The project's SSH key, made on this machine: {@code <home>/keys/<project>} (PKCS#8 PEM, mode 0600) and
 * {@code <project>.pub} (OpenSSH). Only the public half ever leaves (ImportKeyPair). The EC2 key pair is named
 * after the public key's digest, so a key pair made elsewhere for the same project is never mistaken for ours.
 */
public final class AwsKeys {

    private final Path privateKey;
    private final Path publicKey;

    private AwsKeys(Path privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    /** Katapult's own folder outside any project: {@code katapult.home}, else {@code KATAPULT_HOME}, else ~/.katapult. */
    public static Path home() {
        return KatapultHome.path();
    }

    public static AwsKeys of(Path home, String project) {
        return new AwsKeys(home.resolve("keys").resolve(project));
    }

    public Path privateKey() {
        return privateKey;
    }

    public boolean exists() {
        return Files.isRegularFile(privateKey) && Files.isRegularFile(publicKey);
    }

    /** Makes the key pair when missing; returns the OpenSSH public key line. */
    public synchronized String ensure() throws IOException {
        if (exists()) {
            return Files.readString(publicKey).strip();
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            var pair = generator.generateKeyPair();
            Files.createDirectories(privateKey.getParent());
            try {
                Files.setPosixFilePermissions(privateKey.getParent(), PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on file systems without POSIX modes
            }
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Path tmp = privateKey.resolveSibling(privateKey.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, pem, StandardOpenOption.TRUNCATE_EXISTING);
            String line = openSsh((RSAPublicKey) pair.getPublic()) + " katapult";
            Files.writeString(publicKey, line + "\n");
            Files.move(tmp, privateKey, StandardCopyOption.ATOMIC_MOVE);
            return line;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an SSH key: " + e.getMessage(), e);
        }
    }

    /** The EC2 key pair name for this key: {@code katapult-<project>-<first 10 hex of the public key's SHA-256>}. */
    public String keyPairName(String project) throws IOException {
        String line = ensure();
        String blob = line.split(" ")[1];
        return "katapult-" + project + "-" + Hashes.of(Base64.getDecoder().decode(blob)).substring(0, 10);
    }

    static String openSsh(RSAPublicKey key) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
        writeString(out, key.getPublicExponent().toByteArray());
        writeString(out, key.getModulus().toByteArray());
        return "ssh-rsa " + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static void writeString(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }
}
