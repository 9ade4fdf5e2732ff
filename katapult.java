///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.apache.groovy:groovy:5.0.6
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.22.4
//SOURCES lib/**.java dsl/**.java
//FILES templates/agent.sh=templates/agent.sh
//FILES templates/run.sh=templates/run.sh
//FILES templates/env.sh=templates/env.sh
//FILES templates/poll.sh=templates/poll.sh

import katapult.cli.Main;

/** Katapult's JBang entry: `jbang katapult.java --help`. Everything lives in lib/ and dsl/. */
public class katapult {
    public static void main(String... args) {
        Main.main(args);
    }
}
