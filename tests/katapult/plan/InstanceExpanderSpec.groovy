package katapult.plan

import katapult.config.InstanceSpec
import katapult.config.LocalSettings
import spock.lang.Specification

class InstanceExpanderSpec extends Specification {

    static InstanceSpec spec(String name, Integer cpus, int number, boolean explode) {
        new InstanceSpec(name, cpus, number, explode, new LocalSettings())
    }

    def "number, explode and cpus give #expected"() {
        when:
        def plans = InstanceExpander.expand([spec('box', cpus, number, explode)], { 4 }, { 2 })

        then:
        plans.collect { "${it.name()}:${it.cpus()}" } == expected

        where:
        cpus | number | explode || expected
        null | 1      | true    || ['box:2']
        3    | 1      | true    || ['box:3']
        3    | 2      | true    || ['box-1:3', 'box-2:3']
        10   | 1      | true    || ['box-1:4', 'box-2:3', 'box-3:3']
        10   | 1      | false   || ['box:10']
        8    | 2      | true    || ['box-1:4', 'box-2:4', 'box-3:4', 'box-4:4']
    }
}
