package katapult.provider.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ServiceLoader;

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
 * One AWS API of the JSON 1.1 protocol (a signed POST naming its operation in {@code X-Amz-Target}), called with the
 * SDK's own SigV4 signer and HTTP client: for the small APIs whose SDK module is not among Katapult's dependencies.
 */
final class AwsJsonApi implements AutoCloseable {

    /** An answer: its HTTP status and body. */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final String signingName;
    private final String region;
    private SdkHttpClient http;

    /**
     * @param signingName the service's name in the signature scope (e.g. {@code pricing})
     * @param region      the region the request is signed for
     */
    AwsJsonApi(URI endpoint, AwsCredentialsProvider credentials, String signingName, String region) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.signingName = signingName;
        this.region = region;
    }

    /** Posts {@code json} as operation {@code target} (e.g. {@code AWSPriceListService.GetProducts}). */
    Answer call(String target, String json) throws IOException {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", target).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(request).payload(ContentStreamProvider.fromUtf8String(json))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpExecuteResponse response = http().prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null)).build()).call();
        try (InputStream in = response.responseBody().orElse(null)) {
            return new Answer(response.httpResponse().statusCode(), in == null ? new byte[0] : in.readAllBytes());
        }
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
