package katapult.provider.aws;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The Service Quotas API's {@code GetServiceQuota} for EC2 (JSON 1.1 protocol, one endpoint per region) through
 * {@link AwsJsonApi}: the SDK's service-quotas module is not among Katapult's dependencies.
 */
final class AwsServiceQuotas {

    /** Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances, in vCPUs. */
    static final String ON_DEMAND_STANDARD = "L-1216C47A";
    /** All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests, in vCPUs. */
    static final String SPOT_STANDARD = "L-34B43A08";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsCredentialsProvider credentials;

    AwsServiceQuotas(AwsCredentialsProvider credentials) {
        this.credentials = credentials;
    }

    /**
     * The endpoint asked for {@code region}: the {@code katapult.aws.quotasEndpoint} setting, else the entry's endpoint
     * override, else the SDK's global endpoint setting, else AWS's own (null with {@code katapult.aws.offline}).
     */
    static String endpoint(String region, String entryEndpoint) {
        for (String set : new String[] {System.getProperty("katapult.aws.quotasEndpoint"), entryEndpoint,
                System.getProperty("aws.endpointUrl"), System.getenv("AWS_ENDPOINT_URL")}) {
            if (set != null && !set.isBlank()) {
                return set;
            }
        }
        if (Boolean.getBoolean("katapult.aws.offline")) {
            return null;
        }
        return "https://servicequotas." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "");
    }

    /** The EC2 quota's value in {@code region}; an IOException saying why when it cannot be read. */
    long value(String region, String entryEndpoint, String quotaCode) throws IOException {
        String endpoint = endpoint(region, entryEndpoint);
        if (endpoint == null) {
            throw new IOException("offline");
        }
        String body = JSON.writeValueAsString(Map.of("ServiceCode", "ec2", "QuotaCode", quotaCode));
        AwsJsonApi.Answer answer;
        try (AwsJsonApi api = new AwsJsonApi(URI.create(endpoint), credentials, "servicequotas", region)) {
            answer = api.call("ServiceQuotasV20190624.GetServiceQuota", body);
        } catch (SdkException | IllegalArgumentException e) {
            throw new IOException(String.valueOf(e.getMessage()), e);
        }
        return value(answer);
    }

    static long value(AwsJsonApi.Answer answer) throws IOException {
        JsonNode json = answer.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(answer.body());
        if (answer.status() != 200) {
            throw new IOException(failure(answer.status(), json));
        }
        JsonNode value = json.path("Quota").path("Value");
        if (!value.isNumber()) {
            throw new IOException("the answer holds no quota value");
        }
        return (long) Math.floor(value.asDouble());
    }

    /** What an error answer says: its type (without the namespace AWS may put before '#') and message. */
    static String failure(int status, JsonNode json) {
        String type = json.path("__type").asText("");
        type = type.substring(type.indexOf('#') + 1);
        String message = json.has("message") ? json.path("message").asText() : json.path("Message").asText("");
        if ("AccessDeniedException".equals(type)) {
            return "access denied (the credentials may not call servicequotas:GetServiceQuota)";
        }
        return (type.isEmpty() ? "HTTP " + status : type) + (message.isEmpty() ? "" : ": " + message);
    }
}
