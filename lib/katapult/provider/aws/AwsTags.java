package katapult.provider.aws;

import java.util.Optional;

import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The tags that mark what Katapult made: the project, the key (instance or resource name), the generation, and the
 * role of an instance that is not a worker (the maestro).
 */
final class AwsTags {

    static final String PROJECT = "katapult:project";
    static final String KEY = "katapult:key";
    static final String GENERATION = "katapult:generation";
    /** What an instance is for, when it is not a worker: {@link #MAESTRO}. */
    static final String ROLE = "katapult:role";
    static final String MAESTRO = "maestro";

    private AwsTags() {
    }

    static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    static Optional<String> tag(Instance instance, String key) {
        return instance.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst();
    }

    static Filter projectFilter(String project) {
        return Filter.builder().name("tag:" + PROJECT).values(project).build();
    }

    static boolean isMaestro(Instance instance) {
        return tag(instance, ROLE).filter(MAESTRO::equals).isPresent();
    }

    static int generationOf(Instance instance, int fallback) {
        return tag(instance, GENERATION).map(Integer::parseInt).orElse(fallback);
    }
}
