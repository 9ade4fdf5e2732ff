package katapult.provider.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import katapult.transport.HostKeys;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * The host key fingerprints an instance's console announces (cloud-init prints them at first boot): a host key
 * met for the first time must be one of them. Once read, they are kept in the ledger. The key is pinned under the
 * instance's id, not its address (EC2 gives the addresses of instances it let go to new ones): an instance that
 * goes takes its fingerprints and its pin with it.
 */
final class AwsConsole {

    private static final Pattern FINGERPRINTS = Pattern.compile(
            "-----BEGIN SSH HOST KEY FINGERPRINTS-----(.*?)-----END SSH HOST KEY FINGERPRINTS-----", Pattern.DOTALL);
    private static final Pattern FINGERPRINT = Pattern.compile("(SHA256:[A-Za-z0-9+/=]+)");

    private final AwsLedger ledger;
    private final HostKeys pins;

    AwsConsole(AwsLedger ledger, Path knownHosts) {
        this.ledger = ledger;
        this.pins = new HostKeys(knownHosts, null);
    }

    /** An instance that is gone (terminated, replaced): its fingerprints and pinned key go too. */
    void forget(String id) throws IOException {
        if (!ledger.fingerprints(id).isEmpty()) {
            ledger.update(d -> d.fingerprints.remove(id));
        }
        pins.forget(id);
    }

    /** The fingerprints kept for the instance, else those its console shows now (maybe none yet). */
    List<String> fingerprints(AwsClients c, String id) {
        List<String> fingerprints = ledger.fingerprints(id);
        return fingerprints.isEmpty() ? readFingerprints(c, id) : fingerprints;
    }

    /** Host key fingerprints printed by cloud-init on the console, when they are there yet. */
    List<String> readFingerprints(AwsClients c, String id) {
        try {
            String output = c.ec2.getConsoleOutput(r -> r.instanceId(id)).output();
            List<String> fingerprints = parseFingerprints(output == null ? "" : new String(
                    Base64.getMimeDecoder().decode(output), StandardCharsets.UTF_8));
            if (!fingerprints.isEmpty()) {
                ledger.update(d -> d.fingerprints.put(id, fingerprints));
            }
            return fingerprints;
        } catch (Ec2Exception | SdkClientException | IllegalArgumentException e) {
            return List.of();
        }
    }

    static List<String> parseFingerprints(String console) {
        List<String> found = new ArrayList<>();
        Matcher block = FINGERPRINTS.matcher(console);
        while (block.find()) {
            Matcher one = FINGERPRINT.matcher(block.group(1));
            while (one.find()) {
                found.add(one.group(1));
            }
        }
        return found;
    }
}
