package katapult.provider.aws;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import katapult.config.Config;
import katapult.config.InstanceSpec;
import katapult.provider.Quota;

/**
 * The account's vCPU quotas of the standard families (A, C, D, H, I, M, R, T, Z), on-demand and spot, in each region
 * the config uses, set against the vCPUs its entries (and its remote maestro) take there. A quota counts the whole
 * account's instances, not only the project's: what is read is the ceiling, not what is left of it. Types of other
 * families (G, P, X, Inf, ...) have quotas of their own, named as not read.
 */
final class AwsQuotas {

    /** Families starting with a standard letter that have quotas of their own. */
    private static final List<String> OWN_QUOTA = List.of("dl", "hpc", "inf", "mac", "trn", "u-");

    /** The vCPUs one (region, endpoint, market) takes. */
    private record Demand(String region, String endpoint, boolean spot) {
        String name() {
            return (spot ? "spot" : "on-demand") + " standard vCPUs in " + region + " ("
                    + (spot ? AwsServiceQuotas.SPOT_STANDARD : AwsServiceQuotas.ON_DEMAND_STANDARD) + ")";
        }
    }

    private final Config config;
    private final AwsRegions regions;
    private final AwsSizes sizes;
    private final AwsServiceQuotas api;
    private final Supplier<InstanceSpec> maestro;

    /** @param maestro the remote maestro's entry, counted when the config asks for a remote maestro */
    AwsQuotas(Config config, AwsRegions regions, AwsSizes sizes, AwsServiceQuotas api, Supplier<InstanceSpec> maestro) {
        this.config = config;
        this.regions = regions;
        this.sizes = sizes;
        this.api = api;
        this.maestro = maestro;
    }

    /** The config's entries, and the remote maestro's when it has one (it runs on-demand in the first's region). */
    private List<InstanceSpec> entries() {
        List<InstanceSpec> entries = new ArrayList<>(config.instances());
        if (config.maestro() == Config.Maestro.REMOTE) {
            try {
                entries.add(maestro.get());
            } catch (RuntimeException e) {
                // no aws entry to host it: the config check says so
            }
        }
        return entries;
    }

    List<Quota> read() {
        Map<Demand, Long> demands = new LinkedHashMap<>();
        List<Quota> quotas = new ArrayList<>();
        for (InstanceSpec spec : entries()) {
            String region = regions.regionOrNull(spec);
            Integer vcpus = vcpus(spec, region);
            if (vcpus == null) {
                continue;   // no region or no such type: the checks of credentials and types name it
            }
            long wanted = (long) spec.number() * spec.pieces(spec.cpus() == null ? vcpus : spec.cpus(), vcpus) * vcpus;
            if (!standard(spec.aws().type())) {
                quotas.add(new Quota(spec.aws().type() + " vCPUs in " + region, wanted, null,
                        "its family has a quota of its own, not read"));
                continue;
            }
            demands.merge(new Demand(region, spec.aws().endpoint(), spec.aws().eco()), wanted, Long::sum);
        }
        demands.forEach((demand, wanted) -> quotas.add(read(demand, wanted)));
        return quotas;
    }

    private Integer vcpus(InstanceSpec spec, String region) {
        if (region == null || spec.aws().type() == null) {
            return null;
        }
        try {
            return sizes.machineCpus(spec);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Quota read(Demand demand, long wanted) {
        try {
            long limit = api.value(demand.region(), demand.endpoint(),
                    demand.spot() ? AwsServiceQuotas.SPOT_STANDARD : AwsServiceQuotas.ON_DEMAND_STANDARD);
            return new Quota(demand.name(), wanted, limit, null);
        } catch (IOException e) {
            return new Quota(demand.name(), wanted, null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** Whether the type is of a standard family: A, C, D, H, I, M, R, T or Z, and not one with its own quota. */
    static boolean standard(String type) {
        String family = type.toLowerCase(Locale.ROOT);
        return !family.isEmpty() && "acdhimrtz".indexOf(family.charAt(0)) >= 0
                && OWN_QUOTA.stream().noneMatch(family::startsWith);
    }
}
