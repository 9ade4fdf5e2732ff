package katapult.provider.aws;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import katapult.config.InstanceSpec;
import katapult.cost.Spend;
import katapult.plan.InstancePlan;
import katapult.provider.ProviderException;
import katapult.provider.Pricing;
import katapult.state.InstanceRecord;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/**
 * What instances cost: spot prices from DescribeSpotPriceHistory, on-demand prices ({@link AwsOnDemandPrices}), the
 * quotes of {@code katapult plan}, and the spend of the project's instances from the times they ran ({@link AwsUsage}).
 */
final class AwsPrices implements Pricing, AutoCloseable {

    private final AwsRegions regions;
    private final AwsSizes sizes;
    private final AwsInstances instances;
    private final AwsLedger ledger;
    private final Function<String, AwsOnDemandPrices> onDemand;
    private final AwsUsage usage;
    private final AwsUsage maestroUsage;
    private final Map<String, AwsOnDemandPrices> onDemandByEndpoint = new ConcurrentHashMap<>();

    /**
     * @param onDemand       the on-demand prices asked at an endpoint override (null: AWS's own)
     * @param billingMinimum the time billed at least for each start of an instance
     */
    AwsPrices(AwsRegions regions, AwsSizes sizes, AwsInstances instances, AwsLedger ledger,
              Function<String, AwsOnDemandPrices> onDemand, Duration billingMinimum) {
        this.regions = regions;
        this.sizes = sizes;
        this.instances = instances;
        this.ledger = ledger;
        this.onDemand = onDemand;
        this.usage = new AwsUsage(ledger, System::currentTimeMillis, billingMinimum.toMillis(), d -> d.usage);
        this.maestroUsage = new AwsUsage(ledger, System::currentTimeMillis, billingMinimum.toMillis(),
                d -> d.maestroUsage);
    }

    /** A spot price and the zone it is offered in. */
    record Spot(double hourly, String zone) {
    }

    /** The hourly on-demand price of the entry's type in {@code region}, or unknown with why. */
    AwsOnDemandPrices.Price onDemandPrice(InstanceSpec spec, String region) {
        String endpoint = spec.aws().endpoint() == null ? "" : spec.aws().endpoint();
        return onDemandByEndpoint.computeIfAbsent(endpoint, e -> onDemand.apply(e.isEmpty() ? null : e))
                .price(region, spec.aws().type());
    }

    /** The lowest current Linux spot price of a type over the region's zones, in $/hour. */
    Optional<Double> spotPrice(AwsClients c, String type) {
        return lowestSpot(c, type).map(Spot::hourly);
    }

    /** The lowest current Linux spot price of a type over the region's zones, with its zone. */
    Optional<Spot> lowestSpot(AwsClients c, String type) {
        List<SpotPrice> prices = c.ec2.describeSpotPriceHistory(r -> r.instanceTypesWithStrings(type)
                .productDescriptions("Linux/UNIX").startTime(Instant.now())).spotPriceHistory();
        Map<String, SpotPrice> latest = new LinkedHashMap<>();
        for (SpotPrice price : prices) {
            latest.merge(price.availabilityZone(), price,
                    (a, b) -> a.timestamp().isAfter(b.timestamp()) ? a : b);
        }
        return latest.values().stream().map(p -> new Spot(Double.parseDouble(p.spotPrice()), p.availabilityZone()))
                .min(Comparator.comparingDouble(Spot::hourly));
    }

    /**
     * The hourly price of each planned instance: spot from DescribeSpotPriceHistory (the lowest zone's, now);
     * on-demand from the cached Price List API answers, the API, or the shipped table.
     */
    @Override
    public List<Quote> quote(List<InstancePlan> plans) {
        try {
            return quotes(plans);
        } catch (SdkClientException e) {
            throw new ProviderException("cannot reach EC2: " + e.getMessage(), e);
        } catch (Ec2Exception e) {
            throw new ProviderException("EC2 refused: " + AwsCalls.message(e), e);
        }
    }

    private List<Quote> quotes(List<InstancePlan> plans) {
        List<Quote> quotes = new ArrayList<>();
        Map<String, Optional<Spot>> spot = new LinkedHashMap<>();
        for (InstancePlan plan : plans) {
            quotes.add(quote(plan, spot));
        }
        return quotes;
    }

    /** @param spot the spot prices read so far, by region and type: each is asked once */
    private Quote quote(InstancePlan plan, Map<String, Optional<Spot>> spot) {
        InstanceSpec spec = plan.spec();
        AwsClients c = regions.clients(spec);
        sizes.type(spec);
        sizes.checkGpu(spec);
        if (!spec.aws().eco()) {
            AwsOnDemandPrices.Price price = onDemandPrice(spec, c.region);
            return new Quote(plan.name(), c.region, spec.aws().type(), plan.cpus(), false, price.hourly(),
                    price.source());
        }
        Spot lowest;
        try {
            lowest = spot.computeIfAbsent(c.region + "|" + spec.aws().type(), k -> lowestSpot(c, spec.aws().type()))
                    .orElse(null);
        } catch (Ec2Exception e) {
            throw new ProviderException("spot prices of " + spec.aws().type() + " in " + c.region + ": "
                    + AwsCalls.message(e), e);
        }
        Double price = lowest == null ? null : lowest.hourly();
        String note = lowest == null ? "spot, no price history" : "spot, " + lowest.zone() + ", now";
        if (price != null && spec.aws().maxBid() != null && spec.aws().maxBid() < price) {
            note = "spot, max_bid " + spec.aws().maxBid() + " is below the current price: it will not launch";
        }
        return new Quote(plan.name(), c.region, spec.aws().type(), plan.cpus(), true, price, note);
    }

    /** The price of an instance of the entry starting now: spot, the lowest zone's now; on-demand, as quoted. */
    Double priceNow(InstanceSpec spec, AwsClients c) {
        if (spec.aws().eco()) {
            try {
                return spotPrice(c, spec.aws().type()).orElse(null);
            } catch (Ec2Exception | SdkClientException e) {
                return null;
            }
        }
        return onDemandPrice(spec, c.region).hourly();
    }

    /** When instances start and stop, for the spend. */
    AwsUsage usage() {
        return usage;
    }

    /** When the remote maestro instance starts and stops, for its own spend (see {@link AwsLedger.Data}). */
    AwsUsage maestroUsage() {
        return maestroUsage;
    }

    /**
     * What the project's instances have cost so far and cost now. With {@code look}, the instances are described
     * first, so one that stopped or went by itself stops counting.
     */
    Spend spend(List<InstanceRecord> records, boolean look) {
        List<InstanceRecord> ours = records.stream()
                .filter(r -> AwsProvider.KIND.equals(r.provider()) && r.handle() != null).toList();
        if (look && !ours.isEmpty()) {
            try {
                instances.statuses(ours);     // refreshes the instances last seen
            } catch (IOException | RuntimeException e) {
                // the spend is then told from what was seen last
            }
        }
        for (InstanceRecord record : ours) {
            Instance instance = instances.lastSeen(AwsRegions.idOf(record));
            if (instance != null && (AwsInstances.gone(instance) || instance.state().name() == InstanceStateName.STOPPED
                    || instance.state().name() == InstanceStateName.STOPPING)) {
                usage.ended(instance.instanceId());
            }
        }
        return usage.spend();
    }

    @Override
    public void close() {
        onDemandByEndpoint.values().forEach(AwsOnDemandPrices::close);
        onDemandByEndpoint.clear();
    }
}
