package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

import com.sun.net.httpserver.HttpServer
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * An AWS IAM Identity Center (SSO) profile: a temporary HOME with the token `aws sso login` caches, a config file with
 * the profile and its sso-session, and a fake SSO portal on 127.0.0.1 (GetRoleCredentials, SSO-OIDC CreateToken)
 * reached through the SDK's service endpoint variables (AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC).
 */
@Timeout(120)
@Tag('e2e')
class AwsSsoSpec extends Specification {

    @TempDir
    Path dir

    HttpServer portal
    List<String> bearers = new CopyOnWriteArrayList<>()

    def setup() {
        portal = HttpServer.create(new InetSocketAddress(InetAddress.getByName('127.0.0.1'), 0), 0)
        portal.createContext('/federation/credentials') { exchange ->
            bearers << exchange.requestHeaders.getFirst('x-amz-sso_bearer_token')
            def query = exchange.requestURI.query
            def body = query.contains('role_name=Researcher') && query.contains('account_id=111122223333')
                    ? '{"roleCredentials":{"accessKeyId":"ASIAFROMSSOPORTAL","secretAccessKey":"s","sessionToken":"t",' +
                      "\"expiration\":${Instant.now().plusSeconds(3600).toEpochMilli()}}}"
                    : '{"message":"no such role"}'
            def bytes = body.bytes
            exchange.responseHeaders.add('Content-Type', 'application/json')
            exchange.sendResponseHeaders(body.contains('roleCredentials') ? 200 : 403, bytes.length)
            exchange.responseBody.withCloseable { it.write(bytes) }
        }
        portal.createContext('/token') { exchange ->
            def bytes = '{"error":"invalid_grant","error_description":"refresh token expired"}'.bytes
            exchange.responseHeaders.add('Content-Type', 'application/json')
            exchange.sendResponseHeaders(400, bytes.length)
            exchange.responseBody.withCloseable { it.write(bytes) }
        }
        portal.start()
    }

    def cleanup() {
        portal?.stop(0)
    }

    /** The config file, and the token cache of sso-session 'lab-sso' expiring at {@code expiresAt}. */
    Map<String, String> awsFiles(Instant expiresAt) {
        def home = Files.createDirectories(dir.resolve('home'))
        def config = Files.writeString(dir.resolve('aws-config'), '''\
            [profile lab]
            sso_session = lab-sso
            sso_account_id = 111122223333
            sso_role_name = Researcher
            region = eu-west-3

            [sso-session lab-sso]
            sso_start_url = https://lab.example.invalid/start
            sso_region = eu-west-3
            sso_registration_scopes = sso:account:access
            '''.stripIndent())
        def cache = Files.createDirectories(home.resolve('.aws/sso/cache'))
        def name = MessageDigest.getInstance('SHA-1').digest('lab-sso'.bytes).encodeHex().toString() + '.json'
        Files.writeString(cache.resolve(name), """{"startUrl": "https://lab.example.invalid/start", "region": "eu-west-3",
            "accessToken": "cached-sso-token", "expiresAt": "${expiresAt}", "clientId": "cid", "clientSecret": "csecret",
            "registrationExpiresAt": "${Instant.now().plusSeconds(86400 * 30)}", "refreshToken": "refresh"}""")
        String endpoint = "http://127.0.0.1:${portal.address.port}"
        [HOME: home.toString(), AWS_CONFIG_FILE: config.toString(),
         AWS_SHARED_CREDENTIALS_FILE: dir.resolve('no-credentials').toString(),
         AWS_ENDPOINT_URL_SSO: endpoint, AWS_ENDPOINT_URL_SSO_OIDC: endpoint, AWS_EC2_METADATA_DISABLED: 'true']
    }

    String child(Map<String, String> environment, List<String> main = [SsoChildMain.name, 'lab']) {
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def builder = new ProcessBuilder([java, '-cp', System.getProperty('java.class.path'), *main])
                .redirectErrorStream(true)
        ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL']
                .each { builder.environment().remove(it) }
        builder.environment().putAll(environment)
        def process = builder.start()
        def out = process.inputStream.text
        assert process.waitFor(60, TimeUnit.SECONDS)
        out
    }

    def "Katapult's AWS credentials come from an SSO profile: the cached token buys the role's credentials"() {
        when:
        def out = child(awsFiles(Instant.now().plusSeconds(3600)))

        then:
        out.contains('resolved ASIAFROMSSOPORTAL')
        bearers == ['cached-sso-token']
    }

    def "an expired SSO session is named, with the command that renews it"() {
        when:
        def out = child(awsFiles(Instant.now().minusSeconds(3600)))

        then:
        out.contains("refused: the AWS SSO session of profile 'lab' has expired or was never started")
        out.contains('aws sso login --profile lab')
        bearers.isEmpty()
    }

    def "doctor names an expired SSO session and the command that renews it"() {
        given:
        def config = Files.writeString(dir.resolve('cloud.groovy'), """katapult { project 'cloud'; provider 'aws'; profile 'lab'
            instance { type 't3.micro'; region 'eu-west-3' }
            job 'j', { runCommand 'true' } }""")

        when:
        def out = child(awsFiles(Instant.now().minusSeconds(3600)),
                ['katapult.cli.Main', 'doctor', '-C', dir.toString(), config.toString()])

        then:
        out.readLines().any {
            it.startsWith("FAIL  credentials and region: the AWS SSO session of profile 'lab' has expired") &&
                    it.contains('aws sso login --profile lab')
        }
        out.contains('checks failed')
    }
}
