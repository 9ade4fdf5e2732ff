package katapult.provider.aws;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import katapult.config.InstanceSpec;
import katapult.provider.ProviderException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/** The image an instance boots: the entry's {@code img_id}, else the newest Ubuntu LTS for the type's architecture. */
final class AwsImages {

    /** Canonical's account: the owner of the official Ubuntu images. */
    static final String CANONICAL = "099720109477";
    private static final Pattern LTS = Pattern.compile("ubuntu-[a-z]+-(\\d\\d)\\.04-");

    private AwsImages() {
    }

    static Image image(AwsClients c, InstanceSpec spec, InstanceTypeInfo type) {
        if (spec.aws().imgId() != null) {
            List<Image> images;
            try {
                images = c.ec2.describeImages(r -> r.imageIds(spec.aws().imgId())).images();
            } catch (Ec2Exception e) {
                if (!AwsCalls.code(e).startsWith("InvalidAMIID")) {
                    throw e;
                }
                images = List.of();
            }
            if (images.isEmpty()) {
                throw new ProviderException("image " + spec.aws().imgId() + " not found in " + c.region
                        + ": img_id must name an image of that region");
            }
            return images.get(0);
        }
        return newestUbuntuLts(c, type);
    }

    static Image newestUbuntuLts(AwsClients c, InstanceTypeInfo type) {
        boolean arm = type.processorInfo() != null && type.processorInfo().supportedArchitecturesAsStrings()
                .stream().noneMatch(a -> a.startsWith("x86_64"));
        String arch = arm ? "arm64" : "amd64";
        var images = c.ec2.describeImages(r -> r.owners(CANONICAL).filters(
                Filter.builder().name("name").values("ubuntu/images/*ubuntu-*-" + arch + "-server-*").build(),
                Filter.builder().name("state").values("available").build())).images();
        return images.stream().filter(AwsImages::isLts)
                .max(Comparator.comparing(Image::creationDate))
                .orElseThrow(() -> new ProviderException("no Ubuntu LTS image (" + arch + ") found in " + c.region
                        + ": name one with img_id"));
    }

    /** Ubuntu's LTS releases are the .04 of even years. */
    static boolean isLts(Image image) {
        Matcher m = LTS.matcher(image.name() == null ? "" : image.name());
        return m.find() && Integer.parseInt(m.group(1)) % 2 == 0;
    }
}
