package katapult.transport

import net.schmizz.sshj.DefaultConfig
import net.schmizz.sshj.common.SecurityUtils
import spock.lang.Specification

/**
 * The SSH connections' cryptography: the JDK's AES (compiled to the cpu's AES instructions) before Bouncy Castle's
 * plain-Java ciphers, which made transfers several times slower than scp.
 */
class SshCryptoSpec extends Specification {

    def "sshj takes its ciphers, MACs and digests from the JDK, and Bouncy Castle stays available last"() {
        when:
        SshCrypto.preferJdkProviders()
        SshCrypto.preferJdkProviders()   // idempotent

        then:
        SecurityUtils.getSecurityProvider() == null
        SshCrypto.cipherProvider('AES/GCM/NoPadding') == 'SunJCE'
        SshCrypto.cipherProvider('AES/CTR/NoPadding') == 'SunJCE'
        SecurityUtils.getMAC('HmacSHA256').provider.name == 'SunJCE'
        java.security.Security.providers*.name.last() == 'BC'
    }

    def "AES-GCM is offered first; every cipher sshj knows stays offered, ChaCha20-Poly1305 among the last"() {
        given:
        SshCrypto.preferJdkProviders()
        def config = new DefaultConfig()
        def before = config.cipherFactories*.name as Set

        when:
        SshCrypto.orderCiphers(config)
        def names = config.cipherFactories*.name

        then:
        names.take(2) == ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com']
        names.indexOf('chacha20-poly1305@openssh.com') > names.indexOf('aes256-ctr')
        names as Set == before
    }
}
