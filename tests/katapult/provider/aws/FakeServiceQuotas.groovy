package katapult.provider.aws

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

import com.fasterxml.jackson.databind.ObjectMapper
import com.sun.net.httpserver.HttpExchange

/**
 * The Service Quotas API's GetServiceQuota as {@link FakeEc2} serves it (JSON 1.1, {@code X-Amz-Target}): the EC2
 * quotas it knows, by {@code region|code}, each region's read from the request's signature scope.
 */
class FakeServiceQuotas {

    private static final ObjectMapper JSON = new ObjectMapper()

    /** region|quota code → value (vCPUs). */
    final Map<String, Double> values = new ConcurrentHashMap<>(['us-east-1|L-1216C47A': 32d, 'us-east-1|L-34B43A08': 16d])
    /** 'region code' of each call. */
    final List<String> asked = new CopyOnWriteArrayList<>()
    /** Refuse every call as AWS does a caller without servicequotas:GetServiceQuota. */
    volatile boolean deny = false

    boolean serves(HttpExchange ex) {
        ex.requestHeaders.getFirst('X-Amz-Target')?.startsWith('ServiceQuotasV20190624.')
    }

    void handle(HttpExchange ex, String body) {
        Map request = JSON.readValue(body, Map)
        def scope = ex.requestHeaders.getFirst('Authorization') =~ /Credential=[^\/]+\/\d+\/([^\/]+)\/servicequotas\/aws4_request/
        String region = scope.find() ? scope.group(1) : null
        asked << "${region} ${request.QuotaCode}".toString()
        int status = 400
        Map answer
        Double value = values["${region}|${request.QuotaCode}".toString()]
        if (ex.requestHeaders.getFirst('X-Amz-Target') != 'ServiceQuotasV20190624.GetServiceQuota') {
            answer = [__type: 'UnknownOperationException']
        } else if (region == null) {
            status = 403
            answer = [__type: 'InvalidSignatureException', message: 'not signed for servicequotas']
        } else if (deny) {
            answer = [__type: 'com.amazonaws.servicequotas#AccessDeniedException',
                      message: 'User is not authorized to perform servicequotas:GetServiceQuota']
        } else if (request.ServiceCode != 'ec2' || value == null) {
            answer = [__type: 'NoSuchResourceException', message: "no quota ${request.QuotaCode} of ${request.ServiceCode}"]
        } else {
            status = 200
            answer = [Quota: [ServiceCode: 'ec2', QuotaCode: request.QuotaCode, Value: value, Unit: 'None',
                              Adjustable: true, GlobalQuota: false]]
        }
        byte[] bytes = JSON.writeValueAsBytes(answer)
        ex.responseHeaders.add('Content-Type', 'application/x-amz-json-1.1')
        ex.sendResponseHeaders(status, bytes.length)
        ex.responseBody.withCloseable { it.write(bytes) }
    }
}
