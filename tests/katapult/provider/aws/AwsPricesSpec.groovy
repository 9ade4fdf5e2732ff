package katapult.provider.aws

import java.nio.file.Path
import java.time.LocalDate
import java.time.ZoneOffset

import katapult.config.Config
import katapult.plan.InstanceExpander
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** On-demand prices through the provider: the Price List API at the fake endpoint, its cache, the table behind it. */
@Timeout(60)
@Tag('e2e')
class AwsPricesSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path dir

    @TempDir
    Path home

    List<AwsProvider> made = []

    def setup() {
        System.setProperty('katapult.home', home.toString())
    }

    def cleanup() {
        made*.close()
        System.clearProperty('katapult.home')
    }

    List quotes(String instance) {
        Config config = AwsTestSupport.config(dir.resolve('cfg' + made.size()), fake, instance)
        def provider = AwsTestSupport.provider(config, dir.resolve('state'))
        made << provider
        provider.pricing().orElseThrow().quote(InstanceExpander.expand(config.instances(), provider::machineCpus,
                provider::defaultCpus))
    }

    def "an on-demand price comes from the price list API, signed for pricing in us-east-1, then from the cache"() {
        when:
        def first = quotes("type 'c5.4xlarge'")
        def again = quotes("type 'c5.4xlarge'")

        then:
        first*.hourly == [0.68d]
        first*.spot == [false]
        first*.note == ['price list API ' + LocalDate.now(ZoneOffset.UTC)]
        again*.hourly == [0.68d]
        fake.priceList.asked == [[instanceType: 'c5.4xlarge', regionCode: 'us-east-1', operatingSystem: 'Linux',
                                  tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used']]
    }

    def "a type the API does not know comes from the shipped table, with the table's date"() {
        given:
        fake.priceList.prices.remove('us-east-1|t3.large')

        when:
        def quote = quotes("type 't3.large'").first()

        then:
        quote.hourly() == 0.0832d
        quote.note() == 'table of ' + AwsPriceTable.shipped().made()
        fake.priceList.asked.size() == 1
    }

    def "an API that fails is asked once; the prices come from the table"() {
        given:
        fake.priceList.failWith = 503

        when:
        def quotes = quotes("type 't3.micro'\nnumber 3")

        then:
        quotes*.hourly == [0.0104d] * 3
        quotes*.note.every { it.startsWith('table of ') }
        fake.priceList.asked.size() == 1
    }

    def "a type neither knows is unknown, saying why"() {
        given:
        fake.priceList.failWith = 503

        when:
        def quote = quotes("type 't2.micro'").first()

        then:
        quote.hourly() == null
        quote.note().startsWith('unknown: t2.micro in us-east-1 is not in the price table of ')
        quote.note().contains('price list API: the price list API answered 503')
    }
}
