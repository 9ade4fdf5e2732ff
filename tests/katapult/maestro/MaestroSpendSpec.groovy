package katapult.maestro

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.cost.Spend
import spock.lang.Specification

/** The maestro instance's own spend added to the status its Katapult reports. */
class MaestroSpendSpec extends Specification {

    Spend spend = new Spend(0.25d, 0.0208d, [maestro: 0.0208d], [])

    def "status --json gets cost.maestro beside the workers' spend, which is left as it is"() {
        given:
        def status = '{"project":"p","runs":[],"cost":{"spent":1.5,"burnPerHour":0.5,"unknownPrices":[]}}'

        when:
        def json = new ObjectMapper().readValue(MaestroSpend.json(status, spend), Map)

        then:
        json.project == 'p'
        json.cost.spent == 1.5d
        json.cost.burnPerHour == 0.5d
        json.cost.maestro == [spent: 0.25d, burnPerHour: 0.0208d]
    }

    def "a status without cost gets one with the maestro only; a text that is not JSON is left alone"() {
        expect:
        new ObjectMapper().readValue(MaestroSpend.json('{"project":"p"}', spend), Map).cost ==
                [maestro: [spent: 0.25d, burnPerHour: 0.0208d]]
        MaestroSpend.json('katapult: cannot read the state', spend) == 'katapult: cannot read the state'
    }

    def "the status table ends with the maestro instance's line"() {
        expect:
        MaestroSpend.text('1 DONE\n', spend) == '1 DONE\nthe maestro instance: spent so far: $0.2500; burn rate $0.0208/hour\n'
        MaestroSpend.text('1 DONE', spend).startsWith('1 DONE\nthe maestro instance: ')
    }
}
