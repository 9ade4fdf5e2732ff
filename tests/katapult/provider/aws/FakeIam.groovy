package katapult.provider.aws

import static katapult.provider.aws.FakeEc2.Ec2Error
import static katapult.provider.aws.FakeEc2.esc

import java.util.concurrent.ConcurrentHashMap

/**
 * The IAM calls of {@link FakeEc2}, answered as IAM's Query API does: roles and instance profiles with their path and
 * tags, inline policies (GetRolePolicy answers the document URL-encoded, as IAM does) and attached ones, and IAM's
 * refusals: EntityAlreadyExists for a name taken, NoSuchEntity for a name unknown, DeleteConflict for a role still
 * holding policies or a profile, LimitExceeded for a second role in a profile. A role is
 * {@code [name:, path:, attached: [arn], inline: [name], documents: [name: json], trust:, tags: [:]]}, a profile
 * {@code [name:, path:, roles: [name], tags: [:]]}.
 */
class FakeIam {

    static final String NS = 'https://iam.amazonaws.com/doc/2010-05-08/'

    final Map<String, Map> roles = new ConcurrentHashMap<>()
    final Map<String, Map> instanceProfiles = new ConcurrentHashMap<>()
    /** How long a new instance profile stays unknown to RunInstances (IAM is eventually consistent). */
    long profileInvisibleMillis = 0

    /** The instance profile RunInstances names, as EC2 sees it: refused while unknown (or not visible yet). */
    Map profileForLaunch(String name, long now) {
        Map profile = instanceProfiles[name]
        if (profile == null || now < (profile.createdAt ?: 0L) + profileInvisibleMillis) {
            throw new Ec2Error(400, 'InvalidParameterValue', "Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
        }
        profile
    }

    static String profileArn(Map profile) {
        "arn:aws:iam::123456789012:instance-profile${profile.path}${profile.name}"
    }

    String call(String action, Map<String, String> p) {
        switch (action) {
            case 'CreateRole':
                if (roles[p.RoleName]) throw new Ec2Error(409, 'EntityAlreadyExists', "Role with name ${p.RoleName} already exists.")
                roles[p.RoleName] = [name: p.RoleName, path: p.Path ?: '/', attached: [], inline: [], documents: [:],
                                     trust: p.AssumeRolePolicyDocument, tags: tags(p)]
                return ok(action, "<Role>${roleFields(roles[p.RoleName])}</Role>")
            case 'GetRole':
                return ok(action, "<Role>${roleFields(role(p.RoleName))}</Role>")
            case 'ListRoles':
                def found = roles.values().findAll { it.path.startsWith(p.PathPrefix ?: '/') }
                return ok(action, '<IsTruncated>false</IsTruncated><Roles>' + found.collect { "<member>${roleFields(it)}</member>" }.join('') + '</Roles>')
            case 'PutRolePolicy':
                def r = role(p.RoleName)
                if (!(p.PolicyName in r.inline)) r.inline << p.PolicyName
                r.documents = (r.documents ?: [:]) + [(p.PolicyName): p.PolicyDocument]
                return ok(action, '')
            case 'GetRolePolicy':
                def r = role(p.RoleName)
                if (!(p.PolicyName in r.inline)) throw new Ec2Error(404, 'NoSuchEntity', "The role policy with name ${p.PolicyName} cannot be found.")
                return ok(action, "<RoleName>${esc(r.name)}</RoleName><PolicyName>${esc(p.PolicyName)}</PolicyName><PolicyDocument>${URLEncoder.encode(r.documents?.get(p.PolicyName) ?: '{}', 'UTF-8')}</PolicyDocument>")
            case 'ListRolePolicies':
                return ok(action, '<IsTruncated>false</IsTruncated><PolicyNames>' + role(p.RoleName).inline.collect { "<member>${it}</member>" }.join('') + '</PolicyNames>')
            case 'DeleteRolePolicy':
                def r = role(p.RoleName)
                if (!r.inline.remove(p.PolicyName)) throw new Ec2Error(404, 'NoSuchEntity', "The role policy with name ${p.PolicyName} cannot be found.")
                r.documents?.remove(p.PolicyName)
                return ok(action, '')
            case 'ListAttachedRolePolicies':
                return ok(action, '<IsTruncated>false</IsTruncated><AttachedPolicies>' + role(p.RoleName).attached.collect { "<member><PolicyName>${it.tokenize('/').last()}</PolicyName><PolicyArn>${it}</PolicyArn></member>" }.join('') + '</AttachedPolicies>')
            case 'DetachRolePolicy':
                role(p.RoleName).attached.remove(p.PolicyArn)
                return ok(action, '')
            case 'DeleteRole':
                def r = role(p.RoleName)
                if (r.attached || r.inline || instanceProfiles.values().any { p.RoleName in it.roles }) {
                    throw new Ec2Error(409, 'DeleteConflict', 'Cannot delete entity, must detach all policies first.')
                }
                roles.remove(p.RoleName)
                return ok(action, '')
            case 'CreateInstanceProfile':
                if (instanceProfiles[p.InstanceProfileName]) throw new Ec2Error(409, 'EntityAlreadyExists', "Instance Profile ${p.InstanceProfileName} already exists.")
                instanceProfiles[p.InstanceProfileName] = [name: p.InstanceProfileName, path: p.Path ?: '/', roles: [],
                                                           tags: tags(p), createdAt: System.currentTimeMillis()]
                return ok(action, "<InstanceProfile>${profileFields(instanceProfiles[p.InstanceProfileName])}</InstanceProfile>")
            case 'GetInstanceProfile':
                return ok(action, "<InstanceProfile>${profileFields(profile(p.InstanceProfileName))}</InstanceProfile>")
            case 'ListInstanceProfiles':
                def found = instanceProfiles.values().findAll { it.path.startsWith(p.PathPrefix ?: '/') }
                return ok(action, '<IsTruncated>false</IsTruncated><InstanceProfiles>' + found.collect { "<member>${profileFields(it)}</member>" }.join('') + '</InstanceProfiles>')
            case 'AddRoleToInstanceProfile':
                def ip = profile(p.InstanceProfileName)
                role(p.RoleName)
                if (ip.roles) throw new Ec2Error(409, 'LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1')
                ip.roles << p.RoleName
                return ok(action, '')
            case 'RemoveRoleFromInstanceProfile':
                def ip = profile(p.InstanceProfileName)
                if (!ip.roles.remove(p.RoleName)) throw new Ec2Error(404, 'NoSuchEntity', "The role with name ${p.RoleName} cannot be found.")
                return ok(action, '')
            case 'DeleteInstanceProfile':
                def ip = profile(p.InstanceProfileName)
                if (ip.roles) throw new Ec2Error(409, 'DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.')
                instanceProfiles.remove(p.InstanceProfileName)
                return ok(action, '')
            default:
                throw new Ec2Error(400, 'InvalidAction', "Could not find operation ${action}")
        }
    }

    private Map role(String name) {
        roles[name] ?: { throw new Ec2Error(404, 'NoSuchEntity', "The role with name ${name} cannot be found.") }()
    }

    private Map profile(String name) {
        instanceProfiles[name] ?: { throw new Ec2Error(404, 'NoSuchEntity', "Instance Profile ${name} cannot be found.") }()
    }

    /** Tags.member.N.Key / Tags.member.N.Value */
    static Map<String, String> tags(Map<String, String> p) {
        Map<String, String> tags = [:]
        p.keySet().findAll { it ==~ /Tags\.member\.\d+\.Key/ }.each { tags[p[it]] = p[it.replace('.Key', '.Value')] ?: '' }
        tags
    }

    static String tagsXml(Map<String, String> tags) {
        '<Tags>' + (tags ?: [:]).collect { k, v -> "<member><Key>${esc(k)}</Key><Value>${esc(v)}</Value></member>" }.join('') + '</Tags>'
    }

    private static String roleFields(Map r) {
        "<Path>${r.path}</Path><RoleName>${r.name}</RoleName><RoleId>AROA${r.name.hashCode().abs()}</RoleId><Arn>arn:aws:iam::123456789012:role${r.path}${r.name}</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate>" +
                (r.trust ? "<AssumeRolePolicyDocument>${URLEncoder.encode(r.trust, 'UTF-8')}</AssumeRolePolicyDocument>" : '') + tagsXml(r.tags)
    }

    private String profileFields(Map ip) {
        "<Path>${ip.path}</Path><InstanceProfileName>${ip.name}</InstanceProfileName><InstanceProfileId>AIPA${ip.name.hashCode().abs()}</InstanceProfileId><Arn>${profileArn(ip)}</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate><Roles>${ip.roles.collect { roles[it] ? "<member>${roleFields(roles[it])}</member>" : '' }.join('')}</Roles>" + tagsXml(ip.tags)
    }

    private static String ok(String action, String inner) {
        """<${action}Response xmlns="${NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${UUID.randomUUID()}</RequestId></ResponseMetadata></${action}Response>"""
    }
}
