package katapult.provider.aws

import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir

/** The shipped on-demand price table, the cache of the API's answers, and the order of the sources. */
class AwsPriceTableSpec extends Specification {

    static final List<String> REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2',
                                         'eu-central-1', 'eu-north-1', 'ap-northeast-1', 'ap-southeast-1',
                                         'ap-southeast-2', 'ap-south-1', 'ca-central-1', 'sa-east-1']

    @TempDir
    Path home

    def "the shipped table is dated and prices the common types in every common region"() {
        given:
        def table = AwsPriceTable.shipped()

        expect:
        table.made() ==~ /\d{4}-\d{2}-\d{2}/
        REGIONS.every { r ->
            ['t3.micro', 't3a.large', 't4g.medium', 'm5.large', 'm6i.xlarge', 'm6a.2xlarge', 'm7i.large', 'm7g.large',
             'c5.4xlarge', 'c6i.large', 'c6a.large', 'c7i.large', 'c7g.large', 'r5.large', 'r6i.large', 'r7i.large',
             'g4dn.xlarge', 'g5.xlarge'].every { t -> table.price(r, t).filter { it > 0 }.isPresent() }
        }
        table.price('us-east-1', 'm5.large').get() == 0.096d
        table.price('us-east-1', 'p3.2xlarge').get() == 3.06d
        table.price('us-east-1', 'x9.nothing').isEmpty()
    }

    def "a table is read from its lines, comments and header skipped"() {
        when:
        def table = AwsPriceTable.parse(new BufferedReader(new StringReader(
                '# a table\n# made 2026-01-02\nregion,type,usd_per_hour\neu-west-1,t3.micro,0.0114\n')))

        then:
        table.made() == '2026-01-02'
        table.price('eu-west-1', 't3.micro').get() == 0.0114d
        table.price('us-east-1', 't3.micro').isEmpty()
        !table.estimated('eu-west-1', 't3.micro')
    }

    def "regions whose prices are estimates are said so, in the table and in the price's note"() {
        given:
        def table = AwsPriceTable.parse(new BufferedReader(new StringReader(
                '# made 2026-01-02\n# estimated eu-west-1, eu-north-1\nregion,type,usd_per_hour\n'
                        + 'eu-west-1,t3.micro,0.0114\nus-east-1,t3.micro,0.0104\n')))
        def prices = new AwsOnDemandPrices(null, 'aws', new AwsPriceCache(home, clock('2026-12-07T10:00:00Z')),
                table, clock('2026-12-07T10:00:00Z'))

        expect:
        table.estimated('eu-west-1', 't3.micro') && table.estimated('eu-north-1', 'c5.large')
        !table.estimated('us-east-1', 't3.micro')
        prices.price('eu-west-1', 't3.micro').source() == 'table of 2026-01-02, estimated from us-east-1'
        prices.price('us-east-1', 't3.micro').source() == 'table of 2026-01-02'
    }

    def "a row marked estimated is said so; the region's other rows are list prices"() {
        given:
        def table = AwsPriceTable.parse(new BufferedReader(new StringReader(
                '# made 2026-01-02\nregion,type,usd_per_hour\neu-west-1,t3.micro,0.0114,estimated\neu-west-1,c5.large,0.0960\n')))
        def prices = new AwsOnDemandPrices(null, 'aws', new AwsPriceCache(home, clock('2026-12-07T10:00:00Z')),
                table, clock('2026-12-07T10:00:00Z'))

        expect:
        table.price('eu-west-1', 't3.micro').get() == 0.0114d
        table.estimated('eu-west-1', 't3.micro')
        !table.estimated('eu-west-1', 'c5.large')
        prices.price('eu-west-1', 't3.micro').source() == 'table of 2026-01-02, estimated from us-east-1'
        prices.price('eu-west-1', 'c5.large').source() == 'table of 2026-01-02'
    }

    def "the shipped table: list prices in us-east-1 and for c5 in five more regions, the other rows marked estimated"() {
        given:
        def shipped = AwsPriceTable.shipped()

        expect:
        shipped.price('eu-west-1', 'c5.large').get() == 0.096d
        !shipped.estimated('eu-west-1', 'c5.large')
        shipped.estimated('eu-west-1', 'm5.large')
        !shipped.estimated('us-east-1', 'm5.large')
        shipped.price('ap-northeast-1', 'c5.18xlarge').get() == 3.852d
        ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1'].every { region ->
            ['t3.micro', 't3.large', 'm5.large', 'c5.xlarge', 'r5.large', 'm6i.large', 'c6i.large', 'g4dn.xlarge']
                    .every { shipped.price(region, it).isPresent() }
        }
    }

    def "without the API, a price comes from the table with its date; one missing is unknown, saying why"() {
        given:
        def prices = new AwsOnDemandPrices(null, 'aws', new AwsPriceCache(home, clock('2026-12-07T10:00:00Z')),
                table('eu-west-1,t3.micro,0.0114'), clock('2026-12-07T10:00:00Z'))

        expect:
        prices.price('eu-west-1', 't3.micro') == new AwsOnDemandPrices.Price(0.0114d, 'table of 2026-11-30')
        with(prices.price('eu-west-1', 'z9.huge')) {
            hourly() == null
            source() == 'unknown: z9.huge in eu-west-1 is not in the price table of 2026-11-30 (price list API not asked: offline)'
        }
        prices.price('mars-north-1', 't3.micro').source().startsWith('unknown: t3.micro in mars-north-1')
    }

    def "a cached answer is used while fresh (a week), with the day it was asked"() {
        given:
        def cache = new AwsPriceCache(home, clock('2026-12-01T10:00:00Z'))
        cache.put('aws|us-east-1|m5.large', 0.1d)

        expect:
        new AwsPriceCache(home, clock('2026-12-07T10:00:00Z')).get('aws|us-east-1|m5.large').get()
                == Map.entry(0.1d, java.time.LocalDate.parse('2026-12-01'))
        new AwsPriceCache(home, clock('2026-12-09T10:00:00Z')).get('aws|us-east-1|m5.large').isEmpty()

        and: 'the cached answer comes before the table'
        new AwsOnDemandPrices(null, 'aws', new AwsPriceCache(home, clock('2026-12-02T00:00:00Z')),
                table('us-east-1,m5.large,0.096'), clock('2026-12-02T00:00:00Z')).price('us-east-1', 'm5.large')
                == new AwsOnDemandPrices.Price(0.1d, 'price list API 2026-12-01')
    }

    def "a cache file that cannot be read is ignored"() {
        given:
        java.nio.file.Files.createDirectories(home.resolve('prices'))
        java.nio.file.Files.writeString(home.resolve('prices/on-demand.json'), '{not json')

        expect:
        new AwsPriceCache(home, clock('2026-12-07T10:00:00Z')).get('aws|us-east-1|m5.large').isEmpty()
    }

    def "the request asks for Linux, shared tenancy, no software, by type and region code; the answer's hourly USD is read"() {
        when:
        def request = AwsPriceList.request('eu-west-1', 'm5.large')
        def mapper = new com.fasterxml.jackson.databind.ObjectMapper()
        def product = mapper.writeValueAsString([terms: [OnDemand: ['A.B': [priceDimensions: ['A.B.C': [unit: 'Hrs',
                pricePerUnit: [USD: '0.1070000000']]]]]]])
        def answer = mapper.valueToTree([PriceList: [product]])

        then:
        request.ServiceCode == 'AmazonEC2'
        request.Filters.collectEntries { [(it.Field): it.Value] } == [instanceType: 'm5.large', regionCode: 'eu-west-1',
                operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used']
        AwsPriceList.price(answer).get() == 0.107d
        AwsPriceList.price(new com.fasterxml.jackson.databind.ObjectMapper().readTree('{"PriceList": []}')).isEmpty()
    }

    static Clock clock(String at) {
        Clock.fixed(Instant.parse(at), ZoneOffset.UTC)
    }

    static AwsPriceTable table(String rows) {
        AwsPriceTable.parse(new BufferedReader(new StringReader("# made 2026-11-30\nregion,type,usd_per_hour\n$rows\n")))
    }
}
