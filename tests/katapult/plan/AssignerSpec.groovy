package katapult.plan

import katapult.config.Config.JobAssign
import katapult.config.InstanceSpec
import spock.lang.Specification

class AssignerSpec extends Specification {

    static InstancePlan box(String name, int cpus) {
        new InstancePlan(name, null, cpus)
    }

    def "multi_knapsack fills instances in proportion to their cpus"() {
        given:
        def items = (1..12).collect { new Assigner.Item("r$it", 1) }

        when:
        def placed = Assigner.assign(items, [box('big', 4), box('small', 2)], [:], JobAssign.MULTI_KNAPSACK, 1)

        then:
        placed.values().count { it == 'big' } == 8
        placed.values().count { it == 'small' } == 4
    }

    def "a run needing more cpus goes only where it fits"() {
        when:
        def placed = Assigner.assign([new Assigner.Item('wide', 3), new Assigner.Item('thin', 1)],
                [box('a', 2), box('b', 4)], [:], algorithm, 7)

        then:
        placed.wide == 'b'

        where:
        algorithm << JobAssign.values()
    }

    def "load already placed counts"() {
        when:
        def placed = Assigner.assign([new Assigner.Item('new', 1)], [box('a', 2), box('b', 2)], [a: 2],
                JobAssign.MULTI_KNAPSACK, 1)

        then:
        placed.new == 'b'
    }

    def "random placement is reproducible for a seed and uses every instance"() {
        given:
        def items = (1..40).collect { new Assigner.Item("r$it", 1) }
        def instances = [box('a', 1), box('b', 1), box('c', 1)]

        expect:
        Assigner.assign(items, instances, [:], JobAssign.RANDOM, 42) == Assigner.assign(items, instances, [:], JobAssign.RANDOM, 42)
        Assigner.assign(items, instances, [:], JobAssign.RANDOM, 42).values().toSet() == ['a', 'b', 'c'] as Set
    }

    def "a run that fits nowhere is an error, never a hang"() {
        when:
        Assigner.assign([new Assigner.Item('huge', 9)], [box('a', 2)], [:], JobAssign.MULTI_KNAPSACK, 1)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('needs 9 cpus')
    }
}
