package katapult.provider.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import katapult.config.Config;
import katapult.config.InstanceSpec;
import katapult.provider.ProviderException;
import katapult.state.InstanceRecord;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The clients of every (region, endpoint) the config's entries use, opened on first use and kept until closed; the
 * credentials are checked before the first client is opened, so a missing login fails with a message to act on.
 */
final class AwsRegions implements AutoCloseable {

    private final Config config;
    private final AwsTiming timing;
    private final AwsCredentialsProvider credentials;
    private final Map<String, AwsClients> clients = new ConcurrentHashMap<>();
    private volatile boolean credentialsChecked;
    /** Where progress lines of calls that are being retried go. */
    private volatile Consumer<String> notices = message -> { };

    AwsRegions(Config config, AwsTiming timing, AwsCredentialsProvider credentials) {
        this.config = config;
        this.timing = timing;
        this.credentials = credentials;
    }

    AwsClients clients(InstanceSpec spec) {
        return clients(AwsClients.region(spec, config.profile()), spec.aws().endpoint());
    }

    private AwsClients clients(String region, String endpoint) {
        if (!credentialsChecked) {
            AwsClients.require(credentials, config.profile());
            credentialsChecked = true;
        }
        return clients.computeIfAbsent(region + "|" + endpoint, k -> AwsClients.open(region, endpoint, credentials,
                new AwsRetries(timing, config.retryBudget(), message -> notices.accept(message))));
    }

    /** Clients for a record: its region is in its handle ({@code region/instance-id}). */
    AwsClients clients(InstanceRecord record) {
        String region = regionOf(record);
        String endpoint = config.instances().stream()
                .filter(s -> region.equals(regionOrNull(s)) && s.aws().endpoint() != null)
                .map(s -> s.aws().endpoint()).findFirst().orElse(null);
        return clients(region, endpoint);
    }

    /** The credentials the clients sign with (the remote maestro gets them with an endpoint override). */
    AwsCredentialsProvider credentials() {
        return credentials;
    }

    void notices(Consumer<String> sink) {
        this.notices = sink;
    }

    String regionOrNull(InstanceSpec spec) {
        try {
            return AwsClients.region(spec, config.profile());
        } catch (ProviderException e) {
            return null;
        }
    }

    static String regionOf(InstanceRecord record) {
        return record.handle().substring(0, record.handle().indexOf('/'));
    }

    static String idOf(InstanceRecord record) {
        return record.handle().substring(record.handle().indexOf('/') + 1);
    }

    /** Every (region, endpoint) the config's entries use, and the {@code region|endpoint} places recorded. */
    List<AwsClients> all(Collection<String> recorded) {
        Map<String, AwsClients> all = new LinkedHashMap<>();
        for (String place : recorded) {
            String region = place.substring(0, place.indexOf('|'));
            String endpoint = place.substring(place.indexOf('|') + 1);
            String override = endpoint.isEmpty() ? null : endpoint;
            all.putIfAbsent(region + "|" + override, clients(region, override));
        }
        for (InstanceSpec spec : config.instances()) {
            String region = AwsClients.region(spec, config.profile());
            all.putIfAbsent(region + "|" + spec.aws().endpoint(), clients(region, spec.aws().endpoint()));
        }
        return new ArrayList<>(all.values());
    }

    /** Fails early, with a message to act on, when there are no credentials or no region. */
    void checkAccess() {
        AwsClients.require(credentials, config.profile());
        credentialsChecked = true;
        config.instances().forEach(s -> AwsClients.region(s, config.profile()));
    }

    @Override
    public void close() {
        clients.values().forEach(AwsClients::close);
        clients.clear();
    }
}
