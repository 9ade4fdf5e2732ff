package katapult.provider.aws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import katapult.util.Hashes;

/**
 * The IAM names and documents of the maestro's rights, made from the project alone: a role under the path
 * {@code /katapult/<project>/} that EC2 instances may assume, and its inline policy granting only the calls the
 * maestro's Katapult makes. Every call that changes something is allowed only on resources carrying the project's
 * tag ({@code aws:ResourceTag}), or creating them with that tag and Katapult's tag keys only ({@code aws:RequestTag},
 * {@code aws:TagKeys}). Describe calls cannot be limited to resources in EC2: they are allowed on {@code *}.
 */
final class AwsMaestroPolicy {

    static final String POLICY_NAME = "katapult-maestro";
    /** IAM's longest role and instance profile name. */
    private static final int NAME_MAX = 64;
    /** The tag keys Katapult puts on what it creates; nothing else may be tagged. */
    static final List<String> TAG_KEYS = List.of(AwsTags.PROJECT, AwsTags.KEY, AwsTags.GENERATION, AwsTags.ROLE,
            "Name");
    /** Reads, which EC2 cannot restrict to tagged resources. */
    static final List<String> READS = List.of("ec2:DescribeInstances", "ec2:DescribeInstanceTypes",
            "ec2:DescribeImages", "ec2:DescribeSecurityGroups", "ec2:DescribeKeyPairs", "ec2:DescribeVolumes",
            "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInternetGateways", "ec2:DescribeRouteTables", "ec2:DescribeTags",
            "ec2:DescribeSpotPriceHistory");
    /** Starting, stopping, ending, reading the console of the project's own instances. */
    static final List<String> ON_INSTANCES = List.of("ec2:StartInstances", "ec2:StopInstances",
            "ec2:TerminateInstances", "ec2:GetConsoleOutput");
    /** Keeping the SSH rules of the project's security group in step with the config. */
    static final List<String> ON_GROUPS = List.of("ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress");

    private static final ObjectMapper JSON = new ObjectMapper();

    private AwsMaestroPolicy() {
    }

    static String path(String project) {
        return "/katapult/" + project + "/";
    }

    /** The role's and the instance profile's name, shortened with a hash where the project's name is long. */
    static String name(String project) {
        String name = "katapult-maestro-" + project;
        return name.length() <= NAME_MAX ? name
                : name.substring(0, NAME_MAX - 13) + "-" + Hashes.of(project).substring(0, 12);
    }

    /** Lets EC2 instances (only) take the role. */
    static String trust() {
        Map<String, Object> statement = statement(List.of("sts:AssumeRole"), null, null);
        statement.put("Principal", Map.of("Service", "ec2.amazonaws.com"));
        return json(document(List.of(statement)));
    }

    /**
     * The inline policy of the project's maestro.
     *
     * @param workerRole the ARN of the role the workers launch with, when they have one: the maestro may pass it
     */
    static String permissions(String project, Optional<String> workerRole) {
        Map<String, Object> tagged = Map.of("StringEquals", Map.of("aws:ResourceTag/" + AwsTags.PROJECT, project));
        // the subnets of a default VPC, Ubuntu's images and a new network interface carry no tag at all
        Map<String, Object> taggedIfAny = Map.of("StringEqualsIfExists",
                Map.of("aws:ResourceTag/" + AwsTags.PROJECT, project));
        List<Map<String, Object>> statements = new ArrayList<>();
        statements.add(sid("Reads", statement(READS, "*", null)));
        statements.add(sid("TheProjectsInstances", statement(ON_INSTANCES, arns("instance/*"), tagged)));
        statements.add(sid("TheProjectsSecurityGroups", statement(ON_GROUPS, arns("security-group/*"), tagged)));
        statements.add(sid("LaunchTagged", statement(List.of("ec2:RunInstances"), arns("instance/*", "volume/*"),
                tagging(project, null))));
        statements.add(sid("LaunchWithTheProjectsGroupAndKey", statement(List.of("ec2:RunInstances"),
                arns("security-group/*", "key-pair/*"), tagged)));
        statements.add(sid("LaunchFromImageAndSubnet", statement(List.of("ec2:RunInstances"),
                arns("image/*", "subnet/*", "network-interface/*"), taggedIfAny)));
        statements.add(sid("CreateTaggedGroup", statement(List.of("ec2:CreateSecurityGroup"),
                arns("security-group/*"), tagging(project, null))));
        statements.add(sid("CreateGroupInVpc", statement(List.of("ec2:CreateSecurityGroup"), arns("vpc/*"),
                taggedIfAny)));
        statements.add(sid("ImportTaggedKeyPair", statement(List.of("ec2:ImportKeyPair"), arns("key-pair/*"),
                tagging(project, null))));
        statements.add(sid("TagOnlyWhileCreating", statement(List.of("ec2:CreateTags"),
                arns("instance/*", "volume/*", "security-group/*", "key-pair/*"),
                tagging(project, List.of("RunInstances", "CreateSecurityGroup", "ImportKeyPair")))));
        workerRole.ifPresent(arn -> statements.add(sid("PassTheWorkersRole", statement(List.of("iam:PassRole"),
                arn, Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com"))))));
        return json(document(statements));
    }

    /** The request tags the project's tag, with Katapult's tag keys only (and, for CreateTags, while creating). */
    private static Map<String, Object> tagging(String project, List<String> createActions) {
        Map<String, Object> equals = new LinkedHashMap<>();
        equals.put("aws:RequestTag/" + AwsTags.PROJECT, project);
        if (createActions != null) {
            equals.put("ec2:CreateAction", createActions);
        }
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("StringEquals", equals);
        condition.put("ForAllValues:StringEquals", Map.of("aws:TagKeys", TAG_KEYS));
        return condition;
    }

    private static List<String> arns(String... resources) {
        return Arrays.stream(resources).map(r -> "arn:aws:ec2:*:*:" + r).toList();
    }

    private static Map<String, Object> sid(String sid, Map<String, Object> statement) {
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("Sid", sid);
        named.putAll(statement);
        return named;
    }

    private static Map<String, Object> statement(List<String> actions, Object resource,
                                                 Map<String, Object> condition) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Action", actions);
        if (resource != null) {
            statement.put("Resource", resource);
        }
        if (condition != null) {
            statement.put("Condition", condition);
        }
        return statement;
    }

    private static Map<String, Object> document(List<Map<String, Object>> statements) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", statements);
        return document;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a policy document", e);
        }
    }
}
