package katapult.cost

import java.time.Duration

import spock.lang.Specification

/** Estimates, the confirmation rule, billing from run times, runs' shares and the max_cost decision. */
class CostSpec extends Specification {

    def "an estimate adds the known prices and counts the unknown ones"() {
        when:
        def estimate = Estimate.of([0.5d, null, 0.25d])

        then:
        estimate == new Estimate(0.75d, 3, 1)
        estimate.line() == 'estimated cost: $0.7500/hour for 3 instance(s), plus 1 at an unknown price'
    }

    def "at or under the threshold, or with --yes, it goes on; above, it asks a terminal and refuses without one"() {
        expect:
        Confirmation.decide(new Estimate(perHour, 1, 0), 5.0d, yes, terminal) == decision

        where:
        perHour | yes   | terminal || decision
        5.0d    | false | false    || Confirmation.Decision.GO
        5.01d   | true  | false    || Confirmation.Decision.GO
        5.01d   | false | true     || Confirmation.Decision.ASK
        5.01d   | false | false    || Confirmation.Decision.REFUSE
    }

    def "spend is billed per second from each start, a minute at least, at the price of that start; burn is what runs"() {
        given:
        long h = 3_600_000
        def periods = [new Billing.Period('a', 0, h, 1.0d),              // an hour at $1
                       new Billing.Period('a', 2 * h, 2 * h + 1000, 2.0d), // one second, billed a minute at $2
                       new Billing.Period('b', h, null, 0.5d),             // still running since 1h
                       new Billing.Period('c', 0, null, null)]             // price unknown

        when:
        def spend = Billing.spend(periods, 3 * h)

        then:
        Math.abs(spend.dollars() - (1.0d + 2.0d / 60 + 1.0d)) < 1e-9
        spend.burnPerHour() == 0.5d
        spend.hourly() == [a: 2.0d, b: 0.5d]
        spend.unknown() == ['c']
        spend.line().startsWith('spent so far: $2.0333; burn rate $0.5000/hour; not counted (price unknown): c')
    }

    def "a run's share is its instance's price times its time times its part of the cpus"() {
        expect:
        Billing.runShare(1.0d, 0L, 3600L, 2, 8, 0L) == 0.25d
        Billing.runShare(1.0d, 0L, null, 8, 8, 1800L) == 0.5d
        Billing.runShare(null, 0L, 3600L, 2, 8, 0L) == null
        Billing.runShare(1.0d, null, null, 2, 8, 0L) == null
    }

    def "max_cost is reached when the spend plus one more poll period's burn would pass it"() {
        expect:
        CostCap.reached(maxCost, new Spend(spent, burn, [:], []), Duration.ofMinutes(6)) == reached

        where:
        maxCost | spent | burn  || reached
        null    | 100d  | 100d  || false
        1.0d    | 0.5d  | 1.0d  || false    // 0.5 + 0.1
        1.0d    | 0.95d | 1.0d  || true     // 0.95 + 0.1
        1.0d    | 1.0d  | 0d    || true
    }
}
