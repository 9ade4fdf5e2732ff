package katapult.provider.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
    private final Function<AwsLedger.Data, Map<String, List<AwsLedger.Period>>> periods;

    /**
     * @param minimumMillis the time billed at least for each start
     * @param periods       where in the ledger these instances' periods are kept
     */
    AwsUsage(AwsLedger ledger, LongSupplier clock, long minimumMillis,
             Function<AwsLedger.Data, Map<String, List<AwsLedger.Period>>> periods) {
        this.ledger = ledger;
        this.clock = clock;
        this.minimumMillis = minimumMillis;
        this.periods = periods;
    }

    /** Opens a period for the instance, unless one is open already (an instance found running). */
    void started(String id, String name, Double hourly) {
        ledger.update(d -> {
            List<AwsLedger.Period> list = periods.apply(d).computeIfAbsent(id, k -> new ArrayList<>());
            if (list.stream().noneMatch(p -> p.end == null)) {
                AwsLedger.Period period = new AwsLedger.Period();
                period.instance = name;
                period.start = clock.getAsLong();
                period.hourly = hourly;
                list.add(period);
            }
        });
    }

    /** Closes the instance's open period, if any. */
    void ended(String id) {
        if (open(id)) {
            long now = clock.getAsLong();
            ledger.update(d -> periods.apply(d).get(id).stream().filter(p -> p.end == null).forEach(p -> p.end = now));
        }
    }

    /** Closes every open period (the project's instances were all removed). */
    void endedAll() {
        List<String> open = periods.apply(ledger.get()).keySet().stream().filter(this::open).toList();
        open.forEach(this::ended);
    }

    boolean open(String id) {
        synchronized (ledger) {
            return periods.apply(ledger.get()).getOrDefault(id, List.of()).stream().anyMatch(p -> p.end == null);
        }
    }

    /** Every instance id with an open period. */
    List<String> running() {
        synchronized (ledger) {
            return periods.apply(ledger.get()).keySet().stream().filter(this::open).toList();
        }
    }

    Spend spend() {
        List<Billing.Period> billed = new ArrayList<>();
        synchronized (ledger) {
            periods.apply(ledger.get()).values().forEach(list -> list.forEach(p ->
                    billed.add(new Billing.Period(p.instance, p.start, p.end, p.hourly))));
        }
        return Billing.spend(billed, clock.getAsLong(), minimumMillis);
    }
}
