package katapult.provider.aws

import java.nio.charset.StandardCharsets

import spock.lang.Specification

/** Reading GetServiceQuota's answers, and which instance types the standard vCPU quotas count. */
class AwsServiceQuotasSpec extends Specification {

    static AwsJsonApi.Answer answer(int status, String json) {
        new AwsJsonApi.Answer(status, json.getBytes(StandardCharsets.UTF_8))
    }

    def "a quota's value is read (rounded down), an answer without one is an error"() {
        expect:
        AwsServiceQuotas.value(answer(200, '{"Quota":{"QuotaCode":"L-1216C47A","Value":1152.0}}')) == 1152
        AwsServiceQuotas.value(answer(200, '{"Quota":{"Value":5.5}}')) == 5

        when:
        AwsServiceQuotas.value(answer(200, '{"Quota":{}}'))

        then:
        def e = thrown(IOException)
        e.message == 'the answer holds no quota value'
    }

    def "an error answer says what it is: access denied by name, others by type and message"() {
        when:
        AwsServiceQuotas.value(answer(status, body))

        then:
        def e = thrown(IOException)
        e.message == message

        where:
        status | body                                                                              || message
        400    | '{"__type":"com.amazonaws.servicequotas#AccessDeniedException","message":"no"}'   || 'access denied (the credentials may not call servicequotas:GetServiceQuota)'
        400    | '{"__type":"NoSuchResourceException","Message":"no such quota"}'                  || 'NoSuchResourceException: no such quota'
        503    | ''                                                                                || 'HTTP 503'
    }

    def "the endpoint: AWS's own per region (China's domain for cn- regions), else the entry's override"() {
        expect:
        AwsServiceQuotas.endpoint('eu-west-1', null) == 'https://servicequotas.eu-west-1.amazonaws.com'
        AwsServiceQuotas.endpoint('cn-north-1', null) == 'https://servicequotas.cn-north-1.amazonaws.com.cn'
        AwsServiceQuotas.endpoint('eu-west-1', 'http://127.0.0.1:9') == 'http://127.0.0.1:9'
    }

    def "the standard families (A, C, D, H, I, M, R, T, Z) count, those with quotas of their own do not"() {
        expect:
        AwsQuotas.standard(type) == standard

        where:
        type           || standard
        't3.micro'     || true
        'c5.4xlarge'   || true
        'm7g.large'    || true
        'r6i.large'    || true
        'z1d.large'    || true
        'd3.xlarge'    || true
        'h1.2xlarge'   || true
        'i4i.large'    || true
        'a1.medium'    || true
        'g4dn.xlarge'  || false
        'p3.2xlarge'   || false
        'x2idn.16xlarge' || false
        'inf2.xlarge'  || false
        'trn1.2xlarge' || false
        'dl1.24xlarge' || false
        'hpc7g.4xlarge' || false
        'mac1.metal'   || false
        'u-6tb1.metal' || false
        'f1.2xlarge'   || false
    }
}
