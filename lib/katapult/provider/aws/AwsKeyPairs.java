package katapult.provider.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** The EC2 key pair of this machine's project key ({@link AwsKeys}), imported in each region the instances use. */
final class AwsKeyPairs {

    private final String project;
    private final AwsKeys keys;
    private final Map<String, String> keyPairs = new ConcurrentHashMap<>();

    AwsKeyPairs(String project, AwsKeys keys) {
        this.project = project;
        this.keys = keys;
    }

    /** This machine's key pair in the region: imported once, never replaced; a key pair made elsewhere is kept. */
    synchronized String keyPair(AwsClients c) throws IOException {
        String cached = keyPairs.get(c.region);
        if (cached != null) {
            return cached;
        }
        String line = keys.ensure();
        String name = keys.keyPairName(project);
        List<KeyPairInfo> found = c.ec2.describeKeyPairs(r -> r.filters(
                Filter.builder().name("key-name").values(name).build())).keyPairs();
        if (found.isEmpty()) {
            try {
                c.ec2.importKeyPair(r -> r.keyName(name)
                        .publicKeyMaterial(SdkBytes.fromString(line, StandardCharsets.US_ASCII))
                        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.KEY_PAIR)
                                .tags(AwsTags.tag(AwsTags.PROJECT, project), AwsTags.tag(AwsTags.KEY, name))
                                .build()));
            } catch (Ec2Exception e) {
                if (!"InvalidKeyPair.Duplicate".equals(AwsCalls.code(e))) {
                    throw e;
                }
            }
        }
        keyPairs.put(c.region, name);
        return name;
    }

    /** Forgets the key pairs imported, after {@code down} deleted them. */
    void forget() {
        keyPairs.clear();
    }
}
