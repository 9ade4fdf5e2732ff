package katapult.provider.aws

import java.nio.charset.StandardCharsets
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

import com.fasterxml.jackson.databind.ObjectMapper
import com.sun.net.httpserver.HttpExchange

/**
 * The Price List API's GetProducts as {@link FakeEc2} serves it (JSON 1.1, {@code X-Amz-Target}): the on-demand
 * prices it knows, by {@code region|type}, answered as AWS shapes them (each product a JSON document in a string).
 */
class FakePriceList {

    private static final ObjectMapper JSON = new ObjectMapper()

    /** region|type → $/hour. */
    final Map<String, Double> prices = new ConcurrentHashMap<>(['us-east-1|t3.micro': 0.0104d, 'us-east-1|t3.large': 0.0832d,
                                                               'us-east-1|c5.4xlarge': 0.68d])
    /** The filters of each call, as field → value. */
    final List<Map<String, String>> asked = new CopyOnWriteArrayList<>()
    /** Answer every call with this HTTP status and an error, when set. */
    volatile Integer failWith = null

    boolean serves(HttpExchange ex) {
        ex.requestHeaders.getFirst('X-Amz-Target')?.startsWith('AWSPriceListService.')
    }

    void handle(HttpExchange ex, String body) {
        Map request = JSON.readValue(body, Map)
        Map<String, String> filters = request.Filters.collectEntries { [(it.Field): it.Value] }
        asked << filters
        int status = 200
        Map answer
        if (failWith != null) {
            status = failWith
            answer = [__type: 'ServiceUnavailableException', message: 'the price list is down']
        } else if (!ex.requestHeaders.getFirst('Authorization')?.contains('/us-east-1/pricing/aws4_request')) {
            status = 403
            answer = [__type: 'AccessDeniedException', message: 'not signed for pricing in us-east-1']
        } else {
            Double price = prices[filters.regionCode + '|' + filters.instanceType]
            answer = [FormatVersion: 'aws_v1', PriceList: price == null ? [] : [JSON.writeValueAsString(product(filters, price))]]
        }
        byte[] bytes = JSON.writeValueAsBytes(answer)
        ex.responseHeaders.add('Content-Type', 'application/x-amz-json-1.1')
        ex.sendResponseHeaders(status, bytes.length)
        ex.responseBody.withCloseable { it.write(bytes) }
    }

    private static Map product(Map<String, String> filters, double price) {
        [product: [productFamily: 'Compute Instance', attributes: filters, sku: 'SKU1'],
         serviceCode: 'AmazonEC2',
         terms: [OnDemand: ['SKU1.JRTCKXETXF': [offerTermCode: 'JRTCKXETXF', sku: 'SKU1',
                 priceDimensions: ['SKU1.JRTCKXETXF.6YS6EN2CT7': [unit: 'Hrs', description: 'per hour',
                         pricePerUnit: [USD: String.format(Locale.ROOT, '%.10f', price)]]]]]]]
    }
}
