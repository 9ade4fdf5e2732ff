///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVAC_OPTIONS -XDstringConcat=inline
// Katapult mostly waits on its instances: the serial collector keeps the cpu its JVM takes low, which leaves it to the
// runs when they share the machine (local provider, small maestro). The optimising compiler stays on: only it turns
// the JDK's AES into the cpu's AES instructions, and without it SSH transfers ran at a tenth of scp's speed; the
// crypto provider's and sshj's code is compiled early (scaled thresholds), so that a transfer is fast from its first
// megabytes, not after 300 of them (BENCHMARKS.md, "Transfers"). `quiet` keeps the JVM from echoing the commands on
// stdout.
//JAVA_OPTIONS -XX:+UseSerialGC -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,com/sun/crypto/provider/*.*,0.01 -XX:CompileCommand=CompileThresholdScaling,net/schmizz/sshj/*.*,0.05
//DEPS software.amazon.awssdk:bom:2.56.0@pom
//DEPS org.apache.groovy:groovy:5.0.6
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.22.4
//DEPS org.jline:jline:3.30.6
//DEPS com.hierynomus:sshj:0.40.0
//DEPS org.apache.commons:commons-compress:1.28.0
//DEPS software.amazon.awssdk:ec2
//DEPS software.amazon.awssdk:iam
//DEPS software.amazon.awssdk:sso
//DEPS software.amazon.awssdk:ssooidc
//DEPS org.slf4j:slf4j-nop:2.0.17
//SOURCES lib/**.java dsl/**.java
//FILES templates/protocol.sh=templates/protocol.sh
//FILES templates/lib.sh=templates/lib.sh
//FILES templates/scheduler.sh=templates/scheduler.sh
//FILES templates/lifecycle.sh=templates/lifecycle.sh
//FILES templates/spot.sh=templates/spot.sh
//FILES templates/agent.sh=templates/agent.sh
//FILES templates/run.sh=templates/run.sh
//FILES templates/deploy.sh=templates/deploy.sh
//FILES templates/env.sh=templates/env.sh
//FILES templates/poll.sh=templates/poll.sh
//FILES templates/fetch.sh=templates/fetch.sh
//FILES templates/maestro.sh=templates/maestro.sh
//FILES templates/slurm.sh=templates/slurm.sh
//FILES templates/slurm-task.sh=templates/slurm-task.sh
//FILES katapult/provider/aws/aws-on-demand.csv=lib/katapult/provider/aws/aws-on-demand.csv

import katapult.cli.Main;

/** Katapult's JBang entry: `jbang katapult.java --help`. Everything lives in lib/ and dsl/. */
public class katapult {
    public static void main(String... args) {
        Main.main(args);
    }
}
