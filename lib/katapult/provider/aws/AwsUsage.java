package katapult.provider.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import katapult.cost.Billing;
import katapult.cost.Spend;

/**
 * When each instance ran, kept in the ledger (by instance id) for the spend: a period opens when Katapult sees the
 * instance start (launched or started again) with the hourly price of that moment, and closes when Katapult stops or
 * removes it, or finds it stopped or gone. An instance that stops itself is counted until Katapult next looks.
 */
final class AwsUsage {

    private final AwsLedger ledger;
    private final LongSupplier clock;
    private final long minimumMillis;

    /** @param minimumMillis the time billed at least for each start */
    AwsUsage(AwsLedger ledger, LongSupplier clock, long minimumMillis) {
        this.ledger = ledger;
        this.clock = clock;
        this.minimumMillis = minimumMillis;
    }

    /** Opens a period for the instance, unless one is open already (an instance found running). */
    void started(String id, String name, Double hourly) {
        ledger.update(d -> {
            List<AwsLedger.Period> periods = d.usage.computeIfAbsent(id, k -> new ArrayList<>());
            if (periods.stream().noneMatch(p -> p.end == null)) {
                AwsLedger.Period period = new AwsLedger.Period();
                period.instance = name;
                period.start = clock.getAsLong();
                period.hourly = hourly;
                periods.add(period);
            }
        });
    }

    /** Closes the instance's open period, if any. */
    void ended(String id) {
        if (open(id)) {
            long now = clock.getAsLong();
            ledger.update(d -> d.usage.get(id).stream().filter(p -> p.end == null).forEach(p -> p.end = now));
        }
    }

    /** Closes every open period (the project's instances were all removed). */
    void endedAll() {
        List<String> open = ledger.get().usage.keySet().stream().filter(this::open).toList();
        open.forEach(this::ended);
    }

    boolean open(String id) {
        synchronized (ledger) {
            return ledger.get().usage.getOrDefault(id, List.of()).stream().anyMatch(p -> p.end == null);
        }
    }

    /** Every instance id with an open period. */
    List<String> running() {
        synchronized (ledger) {
            return ledger.get().usage.keySet().stream().filter(this::open).toList();
        }
    }

    Spend spend() {
        List<Billing.Period> periods = new ArrayList<>();
        synchronized (ledger) {
            ledger.get().usage.values().forEach(list -> list.forEach(p ->
                    periods.add(new Billing.Period(p.instance, p.start, p.end, p.hourly))));
        }
        return Billing.spend(periods, clock.getAsLong(), minimumMillis);
    }
}
