package katapult.provider.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The AWS Price List API's {@code GetProducts} (JSON 1.1 protocol, in us-east-1), called with the SDK's own SigV4
 * signer and HTTP client: the SDK's pricing module is not among Katapult's dependencies, the protocol is small.
 * Asks for the hourly on-demand price of a Linux, shared-tenancy instance type in a region.
 */
final class AwsPriceList implements AutoCloseable {

    static final String ENDPOINT = "https://api.pricing.us-east-1.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private SdkHttpClient http;

    AwsPriceList(String endpoint, AwsCredentialsProvider credentials) {
        this.endpoint = URI.create(endpoint == null ? ENDPOINT : endpoint);
        this.credentials = credentials;
    }

    /** The price in $/hour; empty when the API knows no such product. */
    Optional<Double> onDemand(String region, String type) throws IOException {
        String body = JSON.writeValueAsString(request(region, type));
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AWSPriceListService.GetProducts").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(request).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "pricing")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpExecuteResponse response = http().prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null)).build()).call();
        byte[] answer;
        try (InputStream in = response.responseBody().orElse(null)) {
            answer = in == null ? new byte[0] : in.readAllBytes();
        }
        if (response.httpResponse().statusCode() != 200) {
            throw new IOException("the price list API answered " + response.httpResponse().statusCode() + ": "
                    + new String(answer, StandardCharsets.UTF_8).lines().findFirst().orElse(""));
        }
        return price(JSON.readTree(answer));
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

    private synchronized SdkHttpClient http() throws IOException {
        if (http == null) {
            SdkHttpService service = ServiceLoader.load(SdkHttpService.class).findFirst()
                    .orElseThrow(() -> new IOException("no HTTP client of the AWS SDK on the class path"));
            http = service.createHttpClientBuilder().buildWithDefaults(AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.CONNECTION_TIMEOUT, Duration.ofSeconds(5))
                    .put(SdkHttpConfigurationOption.READ_TIMEOUT, Duration.ofSeconds(15)).build()
                    .merge(SdkHttpConfigurationOption.GLOBAL_HTTP_DEFAULTS));
        }
        return http;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
