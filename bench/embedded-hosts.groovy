// Starts N embedded SSH test hosts (Apache MINA SSHD, the fixture of the specs) for bench/fanout when OpenSSH
// cannot run: prints "address port home" per host and the client key, then serves until stdin closes.
//
// usage: java -cp <test classpath> groovy.ui.GroovyMain bench/embedded-hosts.groovy N ROOT
import java.nio.file.Path

import katapult.transport.SshTestHosts

int count = args[0] as int
def hosts = new SshTestHosts(Path.of(args[1]))
try {
    hosts.start(count).each { println "${it.address} ${it.port} ${it.home}" }
    println "key ${hosts.clientKey}"
    System.out.flush()
    System.in.read()
} finally {
    hosts.close()
}
