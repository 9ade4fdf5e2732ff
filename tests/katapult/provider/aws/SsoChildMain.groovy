package katapult.provider.aws

import katapult.provider.ProviderException

/** In a child JVM (its own HOME and AWS files): resolves the profile's credentials as Katapult's AWS clients do. */
class SsoChildMain {

    static void main(String[] args) {
        def credentials = AwsClients.credentials(args[0])
        try {
            AwsClients.require(credentials, args[0])
            println "resolved ${credentials.resolveCredentials().accessKeyId()}"
        } catch (ProviderException e) {
            println "refused: ${e.message}"
        }
    }
}
