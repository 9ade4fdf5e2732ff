package katapult.provider.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import katapult.provider.ProviderException;

/**
 * What the aws provider must remember beyond the session's state, in {@code .katapult/<project>/aws.json}: written
 * before each launch request, so a Katapult killed in the middle repeats the very same request (same ClientToken,
 * same subnet) instead of making a second instance.
 */
final class AwsLedger {

    /** One launch in flight or done. */
    static final class Launch {
        public int generation;
        public int subnetIndex;
        public String instanceId;
        public long requestedAt;
        public Double hourlyPrice;
    }

    /** One time an instance ran: epoch millis, the end null while it runs, $/hour at its start (null: unknown). */
    static final class Period {
        public String instance;
        public long start;
        public Long end;
        public Double hourly;
    }

    /** What is kept. Public fields for Jackson. */
    static final class Data {
        /** Changes after each {@code down}, so tokens of removed instances are never reused. */
        public String epoch = UUID.randomUUID().toString();
        public Map<String, Launch> launches = new LinkedHashMap<>();
        public Map<String, List<String>> fingerprints = new LinkedHashMap<>();
        /**
         * Every region (with its endpoint) the project put something in, as {@code region|endpoint}: {@code down}
         * cleans them all, also those a config changed since no longer names.
         */
        public Set<String> places = new TreeSet<>();
        /** The VPC Katapult made for the project, by place, where the region has no default VPC. */
        public Map<String, String> networks = new LinkedHashMap<>();
        /** When each instance ran, by instance id ({@link AwsUsage}); kept across {@code down}: what the project cost. */
        public Map<String, List<Period>> usage = new LinkedHashMap<>();
        /**
         * When the remote maestro instance ran, kept apart by the machine that hands the session off: the maestro
         * gets a copy of this file and counts only {@link #usage}, its workers'.
         */
        public Map<String, List<Period>> maestroUsage = new LinkedHashMap<>();
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private Data data;

    AwsLedger(Path projectStateDir) {
        this.file = projectStateDir.resolve("aws.json");
    }

    synchronized Data get() {
        if (data == null) {
            try {
                data = Files.exists(file) ? MAPPER.readValue(file.toFile(), Data.class) : new Data();
            } catch (IOException e) {
                throw new ProviderException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return data;
    }

    synchronized void update(Consumer<Data> change) {
        change.accept(get());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("aws.json.tmp");
            MAPPER.writeValue(tmp.toFile(), data);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ProviderException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized Launch launch(String instance) {
        return get().launches.get(instance);
    }

    /** Writes down that the project uses {@code c}'s region and endpoint, before it makes anything there. */
    void usePlace(AwsClients c) {
        String place = place(c);
        if (!places().contains(place)) {
            update(d -> d.places.add(place));
        }
    }

    /** {@code region|endpoint}: where the project's resources are. */
    static String place(AwsClients c) {
        return c.region + "|" + (c.endpoint == null ? "" : c.endpoint);
    }

    synchronized Set<String> places() {
        return new TreeSet<>(get().places);
    }

    synchronized List<String> fingerprints(String instanceId) {
        return new ArrayList<>(get().fingerprints.getOrDefault(instanceId, List.of()));
    }
}
