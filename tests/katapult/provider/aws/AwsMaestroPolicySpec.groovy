package katapult.provider.aws

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification

/** The maestro's IAM policy grants the calls its Katapult makes, and changes only what carries the project's tag. */
class AwsMaestroPolicySpec extends Specification {

    static List<Map> statements(String json) {
        new ObjectMapper().readValue(json, Map).Statement as List<Map>
    }

    static List<String> actions(Map statement) {
        statement.Action instanceof List ? statement.Action as List<String> : [statement.Action as String]
    }

    static boolean reads(Map statement) {
        actions(statement).every { it.startsWith('ec2:Describe') }
    }

    def "no wildcard action, and only Describe calls on every resource"() {
        given:
        def all = statements(AwsMaestroPolicy.permissions('proj', Optional.of('arn:aws:iam::123456789012:role/katapult/proj/runner')))

        expect:
        all.every { s -> s.Effect == 'Allow' }
        all.collectMany { actions(it) }.every { !it.contains('*') }
        all.findAll { s -> s.Resource == '*' || (s.Resource instanceof List && '*' in s.Resource) }.every { reads(it) }
        all.findAll { reads(it) }.size() == 1
    }

    def "every statement that changes something is conditioned on the project's tag"() {
        given:
        def all = statements(AwsMaestroPolicy.permissions('proj', Optional.empty()))
        def mutating = all.findAll { !reads(it) }

        expect:
        mutating.size() >= 5
        mutating.every { s ->
            def conditions = (s.Condition ?: [:]).values().collectEntries { it }
            conditions['aws:ResourceTag/katapult:project'] == 'proj' || conditions['aws:RequestTag/katapult:project'] == 'proj'
        }
        and: 'what creates tags may set Katapult tag keys only'
        mutating.findAll { s -> s.Condition.values().any { it.containsKey('aws:RequestTag/katapult:project') } }.every { s ->
            s.Condition['ForAllValues:StringEquals']['aws:TagKeys'] as Set == ['katapult:project', 'katapult:key',
                                                                              'katapult:generation', 'katapult:role', 'Name'] as Set
        }
        and: 'CreateTags only while creating'
        all.findAll { 'ec2:CreateTags' in actions(it) }*.Condition*.StringEquals*.get('ec2:CreateAction') ==
                [['RunInstances', 'CreateSecurityGroup', 'ImportKeyPair']]
        and: 'nothing is granted on resources of other services than EC2'
        mutating.every { s -> (s.Resource as List).every { it.startsWith('arn:aws:ec2:') } }
    }

    def "it grants what the maestro's Katapult calls: #action"() {
        expect:
        statements(AwsMaestroPolicy.permissions('proj', Optional.empty())).any { action in actions(it) }

        where:
        action << ['ec2:DescribeInstances', 'ec2:DescribeInstanceTypes', 'ec2:DescribeImages', 'ec2:DescribeSubnets',
                   'ec2:DescribeSecurityGroups', 'ec2:DescribeKeyPairs', 'ec2:DescribeSpotPriceHistory',
                   'ec2:RunInstances', 'ec2:StartInstances', 'ec2:StopInstances', 'ec2:TerminateInstances',
                   'ec2:CreateTags', 'ec2:GetConsoleOutput', 'ec2:AuthorizeSecurityGroupIngress']
    }

    def "a launch needs the tagged instance statement: the untagged parts it refers to grant nothing else"() {
        given:
        def all = statements(AwsMaestroPolicy.permissions('proj', Optional.empty()))

        expect:
        all.find { s -> (s.Resource as List).any { it.endsWith(':instance/*') } && 'ec2:RunInstances' in actions(s) }
                .Condition.StringEquals['aws:RequestTag/katapult:project'] == 'proj'
        all.findAll { s -> s.Condition?.StringEqualsIfExists }.every { s ->
            actions(s).every { it in ['ec2:RunInstances', 'ec2:CreateSecurityGroup'] } &&
                    (s.Resource as List).every { r -> ['image/*', 'subnet/*', 'network-interface/*', 'vpc/*'].any { r.endsWith(':' + it) } }
        }
    }

    def "the workers' role may be passed, to EC2 only, when they have one"() {
        given:
        String role = 'arn:aws:iam::123456789012:role/katapult/proj/runner'

        when:
        def pass = statements(AwsMaestroPolicy.permissions('proj', Optional.of(role))).findAll { 'iam:PassRole' in actions(it) }

        then:
        pass.size() == 1
        pass[0].Resource == role
        pass[0].Condition.StringEquals['iam:PassedToService'] == 'ec2.amazonaws.com'
        !statements(AwsMaestroPolicy.permissions('proj', Optional.empty())).any { 'iam:PassRole' in actions(it) }
    }

    def "only EC2 instances may take the role"() {
        given:
        def trust = statements(AwsMaestroPolicy.trust())

        expect:
        trust.size() == 1
        trust[0].Principal == [Service: 'ec2.amazonaws.com']
        actions(trust[0]) == ['sts:AssumeRole']
    }

    def "the role's name fits IAM's 64 characters and stays the project's; its path is the project's"() {
        expect:
        AwsMaestroPolicy.name('proj') == 'katapult-maestro-proj'
        AwsMaestroPolicy.name('p' * 80).length() == 64
        AwsMaestroPolicy.name('p' * 80) != AwsMaestroPolicy.name('p' * 81)
        AwsMaestroPolicy.path('proj') == '/katapult/proj/'
    }
}
