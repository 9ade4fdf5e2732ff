package katapult.provider.aws;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The hourly on-demand price of a type in a region, from the first source that knows it: the cached answers of the
 * Price List API while fresh, the API, the table shipped with Katapult; else unknown, with why. A failing API is
 * asked once per provider: the rest of the prices come from the table.
 */
final class AwsOnDemandPrices implements AutoCloseable {

    /** @param hourly $/hour, null when unknown; @param source where it came from (or why it is unknown) */
    record Price(Double hourly, String source) {
    }

    private final AwsPriceList api;
    /** Names the API in the cache's keys, so a test endpoint's answers never pass for AWS's. */
    private final String apiName;
    private final AwsPriceCache cache;
    private final AwsPriceTable table;
    private final Clock clock;
    private final Map<String, Price> asked = new ConcurrentHashMap<>();
    private volatile String apiFailure;

    /** @param api null when the API must not be asked (offline) */
    AwsOnDemandPrices(AwsPriceList api, String apiName, AwsPriceCache cache, AwsPriceTable table, Clock clock) {
        this.api = api;
        this.apiName = apiName;
        this.cache = cache;
        this.table = table;
        this.clock = clock;
    }

    /**
     * The prices as the provider asks them: the API at the {@code katapult.aws.pricingEndpoint} setting, else at the
     * entry's endpoint override, else at the SDK's global endpoint setting ({@code aws.endpointUrl},
     * {@code AWS_ENDPOINT_URL}), else AWS's own (not asked with {@code katapult.aws.offline}); answers cached under
     * Katapult's home.
     */
    static AwsOnDemandPrices open(String endpointOverride, AwsCredentialsProvider credentials) {
        String endpoint = firstSet(System.getProperty("katapult.aws.pricingEndpoint"), endpointOverride,
                System.getProperty("aws.endpointUrl"), System.getenv("AWS_ENDPOINT_URL"));
        boolean offline = endpoint == null && Boolean.getBoolean("katapult.aws.offline");
        return new AwsOnDemandPrices(offline ? null : new AwsPriceList(endpoint, credentials),
                endpoint == null ? "aws" : endpoint, new AwsPriceCache(AwsKeys.home(), Clock.systemUTC()),
                AwsPriceTable.shipped(), Clock.systemUTC());
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    Price price(String region, String type) {
        return asked.computeIfAbsent(region + "|" + type, k -> lookUp(region, type));
    }

    private Price lookUp(String region, String type) {
        String key = apiName + "|" + region + "|" + type;
        Optional<Map.Entry<Double, LocalDate>> cached = cache.get(key);
        if (cached.isPresent()) {
            return new Price(cached.get().getKey(), "price list API " + cached.get().getValue());
        }
        Optional<Double> fromApi = ask(region, type);
        if (fromApi.isPresent()) {
            cache.put(key, fromApi.get());
            return new Price(fromApi.get(), "price list API " + LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        }
        Optional<Double> fromTable = table.price(region, type);
        if (fromTable.isPresent()) {
            return new Price(fromTable.get(), "table of " + table.made()
                    + (table.estimated(region, type) ? ", estimated from us-east-1" : ""));
        }
        return new Price(null, "unknown: " + type + " in " + region + " is not in the price table of " + table.made()
                + (apiFailure == null ? (api == null ? " (price list API not asked: offline)"
                : " nor known to the price list API") : " (price list API: " + apiFailure + ")"));
    }

    private Optional<Double> ask(String region, String type) {
        if (api == null || apiFailure != null) {
            return Optional.empty();
        }
        try {
            return api.onDemand(region, type);
        } catch (IOException | SdkException | IllegalStateException | IllegalArgumentException e) {
            apiFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
    }
}
