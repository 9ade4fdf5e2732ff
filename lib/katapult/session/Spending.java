package katapult.session;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import katapult.cost.Billing;
import katapult.cost.Estimate;
import katapult.cost.ProjectCost;
import katapult.cost.Spend;
import katapult.provider.Pricing;
import katapult.provider.Provider;
import katapult.state.InstanceRecord;
import katapult.state.RunRecord;

/** The money side of a session: the estimate before starting, the spend so far and each run's share of it. */
final class Spending {

    private final Workload work;
    private final StateKeeper keeper;
    private final Provider provider;
    private final Dispatch dispatch;

    Spending(Workload work, StateKeeper keeper, Provider provider, Dispatch dispatch) {
        this.work = work;
        this.keeper = keeper;
        this.provider = provider;
        this.dispatch = dispatch;
    }

    /** The estimated $/hour of the instances with work, runs placed first; empty when the provider is free. */
    Optional<Estimate> estimate() {
        Optional<Pricing> pricing = provider.pricing();
        if (pricing.isEmpty()) {
            return Optional.empty();
        }
        dispatch.assign();
        return Optional.of(Estimate.of(pricing.get().quote(dispatch.instancesWithWork()).stream()
                .map(Pricing.Quote::hourly).toList()));
    }

    /** The spend, and each run's share: its instance's price × its time × its part of the instance's cpus. */
    Optional<ProjectCost> cost() {
        return provider.spend(keeper.get().instances(), true).map(this::withShares);
    }

    /** Each run's share from what the provider last saw (no look at the instances); empty when free. */
    Map<String, Double> seenShares() {
        return provider.spend(keeper.get().instances(), false).map(s -> withShares(s).runs()).orElse(Map.of());
    }

    private ProjectCost withShares(Spend spend) {
        long now = Instant.now().getEpochSecond();
        Map<String, Double> shares = new HashMap<>();
        for (RunRecord run : keeper.get().runs()) {
            if (run.instance() == null) {
                continue;
            }
            int cpus = work.plan().run(run.uid()).map(r -> r.job().spec().cpusReq()).orElse(1);
            int instanceCpus = keeper.get().instance(run.instance()).map(InstanceRecord::cpus).orElse(cpus);
            Double share = Billing.runShare(spend.hourly().get(run.instance()), run.start(), run.end(), cpus,
                    instanceCpus, now);
            if (share != null) {
                shares.put(run.uid(), share);
            }
        }
        return new ProjectCost(spend, shares);
    }
}
