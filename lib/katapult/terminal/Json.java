package katapult.terminal;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import katapult.remote.AgentClocks;
import katapult.remote.DiskSpace;
import katapult.session.RunView;
import katapult.session.Session;
import katapult.cost.ProjectCost;
import katapult.session.Status;
import katapult.state.RunRecord;
import katapult.state.RunState;

/** The documented JSON shapes of --json output (see README, "JSON output"). */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Streams {@code value} to {@code out}: the text of a large project's status is never held whole in memory. */
    public static void print(Object value, PrintStream out) {
        try {
            MAPPER.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        out.println();
    }

    /**
     * {@code status --json} with what the project cost: {@code cost} (spent so far, burn rate, instances whose price
     * is unknown) and each run's {@code cost}, its share; null where the provider charges nothing.
     */
    public static Map<String, Object> status(Status status, ProjectCost cost) {
        Map<String, Object> json = status(status);
        if (cost == null) {
            return json;
        }
        Map<String, Object> spend = new LinkedHashMap<>();
        spend.put("spent", cost.spend().dollars());
        spend.put("burnPerHour", cost.spend().burnPerHour());
        spend.put("unknownPrices", cost.spend().unknown());
        json.put("cost", spend);
        for (Object run : (List<?>) json.get("runs")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) run;
            m.put("cost", cost.run((String) m.get("uid")));
        }
        return json;
    }

    public static Map<String, Object> status(Status status) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", status.project());
        json.put("live", status.live());
        json.put("instances", status.instances().stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", i.name());
            m.put("provider", i.provider());
            m.put("status", i.status());
            m.put("cpus", i.cpus());
            AgentClocks clocks = status.clocks().get(i.name());
            if (clocks != null) {
                m.put("clocks", clocks(clocks, now));
            }
            DiskSpace disk = status.disks().get(i.name());
            if (disk != null) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("free", disk.free());
                d.put("total", disk.total());
                m.put("disk", d);
            }
            return m;
        }).toList());
        json.put("runs", status.runs().stream().map(v -> run(v, now)).toList());
        Map<String, Integer> counts = new LinkedHashMap<>();
        status.counts().forEach((state, n) -> counts.put(state.name(), n));
        json.put("counts", counts);
        return json;
    }

    /** An instance's lifecycle clocks in seconds; null where the instance did not tell. */
    private static Map<String, Object> clocks(AgentClocks clocks, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idle_seconds", clocks.idleSince() == null ? null : Math.max(0, now - clocks.idleSince()));
        m.put("idle_stop_seconds", clocks.idleStop());
        m.put("heard_seconds_ago", clocks.heardAt() == null ? null : Math.max(0, now - clocks.heardAt()));
        m.put("heartbeat_timeout_seconds", clocks.heartbeatTimeout());
        return m;
    }

    /** {@code logs RUN --json}: the run and its logs (a log left out with --stdout/--stderr is null). */
    public static Map<String, Object> logs(Session session, RunRecord run, boolean stderr,
                                    boolean stdout) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project", session.project());
        m.put("job", run.job());
        m.put("repeat", run.repeat());
        m.put("uid", run.uid());
        m.put("rid", run.rid());
        counters(run, m);
        m.put("state", run.state().name());
        m.put("exit", run.exit());
        m.put("cost", session.cost().map(c -> c.run(run.uid())).orElse(null));
        m.put("stdout", stdout ? session.log(run.uid(), false) : null);
        m.put("stderr", stderr ? session.log(run.uid(), true) : null);
        return m;
    }

    /** {@code logs --json} without RUN: every ABORTED run with its reason and the tail of its stderr. */
    public static Map<String, Object> abortedLogs(Status status) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", status.project());
        json.put("aborted", status.runs().stream().filter(v -> v.state() == RunState.ABORTED)
                .map(v -> run(v, now)).toList());
        return json;
    }

    /** The run's counters: its attempt, the retries among them, its preemptions and halts (which take no attempt). */
    private static void counters(RunRecord run, Map<String, Object> m) {
        m.put("attempt", run.attempt());
        m.put("retries", run.retries());
        m.put("preemptions", run.preemptions());
        m.put("halts", run.halts());
    }

    private static Map<String, Object> run(RunView view, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", view.run().job());
        m.put("repeat", view.run().repeat());
        m.put("uid", view.run().uid());
        m.put("rid", view.run().rid());
        counters(view.run(), m);
        m.put("instance", view.run().instance());
        m.put("state", view.state().name());
        m.put("exit", view.run().exit());
        m.put("start", view.run().start());
        m.put("end", view.run().end());
        m.put("elapsed", view.elapsedSeconds(now));
        m.put("reason", view.run().reason());
        m.put("fetched", view.run().fetched());
        m.put("stderrTail", view.stderrTail().isEmpty() ? null : List.of(view.stderrTail().split("\n")));
        return m;
    }
}
