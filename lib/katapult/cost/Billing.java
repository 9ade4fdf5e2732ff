package katapult.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spend of instances from the times they ran, billed per second with EC2's one-minute minimum for each time an
 * instance starts, at the hourly price written down when it started.
 */
public final class Billing {

    static final long MINIMUM_MILLIS = 60_000;

    /**
     * One time an instance ran.
     *
     * @param hourly $/hour at its start, null when unknown
     * @param end    epoch millis it stopped, null while it runs
     */
    public record Period(String instance, long start, Long end, Double hourly) {
    }

    private Billing() {
    }

    public static Spend spend(List<Period> periods, long now) {
        return spend(periods, now, MINIMUM_MILLIS);
    }

    /** @param minimumMillis the time billed at least for each start */
    public static Spend spend(List<Period> periods, long now, long minimumMillis) {
        double dollars = 0;
        double burn = 0;
        Map<String, Double> hourly = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Period p : periods) {
            if (p.hourly() == null) {
                if (!unknown.contains(p.instance())) {
                    unknown.add(p.instance());
                }
                continue;
            }
            hourly.put(p.instance(), p.hourly());
            long end = p.end() == null ? now : p.end();
            dollars += p.hourly() * Math.max(minimumMillis, end - p.start()) / 3_600_000.0;
            if (p.end() == null) {
                burn += p.hourly();
            }
        }
        return new Spend(dollars, burn, hourly, unknown);
    }

    /**
     * A run's share of its instance's cost: the instance's price × the run's time × its part of the instance's cpus.
     * Null when the price or the start is unknown.
     *
     * @param start epoch seconds, @param end epoch seconds or null while it runs
     */
    public static Double runShare(Double hourly, Long start, Long end, int cpus, int instanceCpus, long nowSeconds) {
        if (hourly == null || start == null || instanceCpus <= 0) {
            return null;
        }
        long seconds = Math.max(0, (end == null ? nowSeconds : end) - start);
        return hourly * seconds / 3600.0 * Math.min(1.0, (double) cpus / instanceCpus);
    }
}
