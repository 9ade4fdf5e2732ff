package katapult.session;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import katapult.cost.CostCap;
import katapult.cost.Money;
import katapult.cost.Spend;
import katapult.provider.Provider;
import katapult.state.RunTransitions;

/**
 * {@code max_cost} in the monitor loop: before a round may launch anything, when the spend so far plus one more poll
 * period at the current burn rate would pass the cap, the instances are stopped (finished runs fetched first), the
 * unfinished runs wait again, and the session ends with {@link CostCapException}.
 */
final class CostGuard {

    private final Workload work;
    private final StateKeeper keeper;
    private final Provider provider;
    private final Teardown teardown;
    private final Recovery recovery;
    private final Consumer<Event> listener;

    CostGuard(Workload work, StateKeeper keeper, Provider provider, Teardown teardown, Recovery recovery,
              Consumer<Event> listener) {
        this.work = work;
        this.keeper = keeper;
        this.provider = provider;
        this.teardown = teardown;
        this.recovery = recovery;
        this.listener = listener;
    }

    /** @param pollPeriod the longest wait before the next round */
    void check(Duration pollPeriod) {
        Double cap = work.config().limits().maxCost();
        if (cap == null) {
            return;
        }
        Optional<Spend> spend = provider.spend(keeper.get().instances(), false);
        if (spend.isEmpty() || !CostCap.reached(cap, spend.get(), pollPeriod)) {
            return;
        }
        String why = "max_cost " + Money.dollars(cap) + " reached: spent " + Money.dollars(spend.get().dollars())
                + " at " + Money.perHour(spend.get().burnPerHour());
        listener.accept(new Event.Warning(why + "; stopping the instances, the unfinished runs wait"));
        // the runs are halted before the agents stop them: stopped by the agent first, they would be seen lost and
        // take an attempt; the round polled just before, so a run that has finished is fetched, not halted
        recovery.halt();
        teardown.stop();
        throw new CostCapException(why + ". The instances are stopped and the unfinished runs wait: raise max_cost"
                + " and run again to go on.");
    }
}
