// A JShell session on the scripting API, from the repository's folder:
//
//   jshell --class-path "$(./jbang info classpath katapult.java)"        then   /open examples/explore.jsh
//
// (`jbang --interactive katapult.java` gives JShell the dependencies but not Katapult's own classes, as its main
// class is in the default package; `jbang info classpath` lists both.)
import java.nio.file.*;
import katapult.Katapult;
import katapult.session.*;
import katapult.state.RunState;

var session = Katapult.open(Path.of("examples/hello.groovy"), e -> { if (e instanceof Event.Step s) System.out.println("[" + s.step() + "] " + s.message()); });
session.up();
session.deploy();
session.submit();
session.awaitAll();
session.runs().forEach(r -> System.out.println(r.run().job() + "/" + r.run().repeat() + " " + r.state()));

// add a job to the running session, and read its output
var extra = session.submit(Katapult.job("top").command("sort -rn numbers.txt | head -3 > top.txt").inputs("hello/numbers.txt").outputs("top.txt"));
extra.await();
System.out.println("top: " + Files.readString(extra.output("top.txt")).replace("\n", " "));

session.runs().stream().filter(r -> r.state() == RunState.ABORTED).forEach(r -> System.out.println(r.stderrTail()));
session.stop();
session.close();
