package katapult.provider.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The maestro's rights in IAM: a role holding {@link AwsMaestroPolicy}'s inline policy and an instance profile
 * holding the role, both under {@code /katapult/<project>/} and tagged with the project, so {@code down} finds them.
 * Making them again finds what an earlier (maybe killed) Katapult made; the policy is written every time, so it
 * follows the version of Katapult that launches the maestro.
 */
final class AwsMaestroRights {

    private final String project;

    AwsMaestroRights(String project) {
        this.project = project;
    }

    /** Makes (or finds) the role and its instance profile; returns the instance profile's name. */
    String ensure(AwsClients c) {
        String name = AwsMaestroPolicy.name(project);
        String path = AwsMaestroPolicy.path(project);
        Tag tag = Tag.builder().key(AwsTags.PROJECT).value(project).build();
        ifNew(() -> c.iam.createRole(r -> r.roleName(name).path(path).tags(tag)
                .description("Katapult: the maestro of project " + project)
                .assumeRolePolicyDocument(AwsMaestroPolicy.trust())));
        c.iam.putRolePolicy(r -> r.roleName(name).policyName(AwsMaestroPolicy.POLICY_NAME)
                .policyDocument(AwsMaestroPolicy.permissions(project, Optional.empty())));
        ifNew(() -> c.iam.createInstanceProfile(r -> r.instanceProfileName(name).path(path).tags(tag)));
        InstanceProfile profile = c.iam.getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile();
        if (profile.roles().stream().noneMatch(role -> role.roleName().equals(name))) {
            c.iam.addRoleToInstanceProfile(r -> r.instanceProfileName(name).roleName(name));
        }
        return name;
    }

    /** Removes the role from its profile, then the profile, the policy and the role; returns what went. */
    List<String> remove(AwsClients c) {
        String name = AwsMaestroPolicy.name(project);
        List<String> removed = new ArrayList<>();
        ifExists(() -> c.iam.removeRoleFromInstanceProfile(r -> r.instanceProfileName(name).roleName(name)));
        if (ifExists(() -> c.iam.deleteInstanceProfile(r -> r.instanceProfileName(name)))) {
            removed.add("instance profile " + name);
        }
        ifExists(() -> c.iam.deleteRolePolicy(r -> r.roleName(name).policyName(AwsMaestroPolicy.POLICY_NAME)));
        if (ifExists(() -> c.iam.deleteRole(r -> r.roleName(name)))) {
            removed.add("role " + name);
        }
        return removed;
    }

    /** Runs a create call; what exists already (made by an earlier Katapult) is reused. */
    private static void ifNew(Runnable create) {
        try {
            create.run();
        } catch (IamException e) {
            if (!"EntityAlreadyExists".equals(AwsCalls.code(e))) {
                throw e;
            }
        }
    }

    /** Runs a delete call; false when there was nothing to delete. */
    private static boolean ifExists(Runnable delete) {
        try {
            delete.run();
            return true;
        } catch (IamException e) {
            if (!"NoSuchEntity".equals(AwsCalls.code(e))) {
                throw e;
            }
            return false;
        }
    }
}
