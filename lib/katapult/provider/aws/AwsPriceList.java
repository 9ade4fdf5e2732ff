package katapult.provider.aws;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The AWS Price List API's {@code GetProducts} (JSON 1.1 protocol, in us-east-1) through {@link AwsJsonApi}: the
 * SDK's pricing module is not among Katapult's dependencies, the protocol is small.
 * Asks for the hourly on-demand price of a Linux, shared-tenancy instance type in a region.
 */
final class AwsPriceList implements AutoCloseable {

    static final String ENDPOINT = "https://api.pricing.us-east-1.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsJsonApi api;

    AwsPriceList(String endpoint, AwsCredentialsProvider credentials) {
        this.api = new AwsJsonApi(URI.create(endpoint == null ? ENDPOINT : endpoint), credentials, "pricing", "us-east-1");
    }

    /** The price in $/hour; empty when the API knows no such product. */
    Optional<Double> onDemand(String region, String type) throws IOException {
        AwsJsonApi.Answer answer = api.call("AWSPriceListService.GetProducts",
                JSON.writeValueAsString(request(region, type)));
        if (answer.status() != 200) {
            throw new IOException("the price list API answered " + answer.status() + ": "
                    + answer.text().lines().findFirst().orElse(""));
        }
        return price(JSON.readTree(answer.body()));
    }

    static Map<String, Object> request(String region, String type) {
        List<Map<String, String>> filters = new ArrayList<>();
        Map<String, String> terms = new LinkedHashMap<>();
        terms.put("instanceType", type);
        terms.put("regionCode", region);
        terms.put("operatingSystem", "Linux");
        terms.put("tenancy", "Shared");
        terms.put("preInstalledSw", "NA");
        terms.put("capacitystatus", "Used");
        terms.forEach((field, value) -> filters.add(Map.of("Type", "TERM_MATCH", "Field", field, "Value", value)));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("ServiceCode", "AmazonEC2");
        request.put("Filters", filters);
        request.put("FormatVersion", "aws_v1");
        request.put("MaxResults", 10);
        return request;
    }

    /** The first non-zero hourly USD price of the answer's products (each a JSON document in a string). */
    static Optional<Double> price(JsonNode answer) throws IOException {
        for (JsonNode item : answer.path("PriceList")) {
            JsonNode product = item.isTextual() ? JSON.readTree(item.asText()) : item;
            for (Iterator<JsonNode> offers = product.path("terms").path("OnDemand").elements(); offers.hasNext(); ) {
                for (JsonNode dimension : offers.next().path("priceDimensions")) {
                    double usd = dimension.path("pricePerUnit").path("USD").asDouble(0);
                    if (usd > 0 && "Hrs".equals(dimension.path("unit").asText("Hrs"))) {
                        return Optional.of(usd);
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        api.close();
    }
}
