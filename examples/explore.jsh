// A JShell session on the scripting API, from the repository's folder:
//
//   ./jbang --interactive katapult.java          then   /open examples/explore.jsh
//
// (In JShell, name the class through an import: the script's own class `katapult` hides the package.)
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
var extra = session.submit(Katapult.job("shout").command("tr a-z A-Z < numbers.txt > loud.txt").inputs("hello/numbers.txt").outputs("loud.txt"));
extra.await();
System.out.println(Files.readString(extra.output("loud.txt")));

session.runs().stream().filter(r -> r.state() == RunState.ABORTED).forEach(r -> System.out.println(r.stderrTail()));
session.close();
