package katapult.remote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One instance's answer to poll.sh: the agent, its lifecycle clocks, its disk, every environment and every run,
 * parsed and checked.
 *
 * @param disk the project folder's disk; null when the poll did not tell (not asked, an older poll.sh, no df)
 */
public record PollReport(String agent, Map<String, EnvStatus> envs, Map<String, RunStatus> runs, List<String> garbled,
                         AgentClocks clocks, DiskSpace disk) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern STATE = Pattern.compile(String.join("|", Protocol.stateWords()));

    public record EnvStatus(String key, String status, String reason) {

        public boolean failed() {
            return state() == Protocol.EnvState.FAILED;
        }

        /** The status as a state; PENDING for a word this Katapult does not know (a newer agent's). */
        public Protocol.EnvState state() {
            for (Protocol.EnvState s : Protocol.EnvState.values()) {
                if (s.name().equals(status)) {
                    return s;
                }
            }
            return Protocol.EnvState.PENDING;
        }

        /** Set up, or given up: nothing more will happen to it. */
        public boolean settled() {
            return state() == Protocol.EnvState.READY || failed();
        }
    }

    /**
     * A run as the instance sees it; numbers are null where the instance has none yet.
     *
     * @param code why it is ABORTED, from the code the instance wrote or else from the prose (see
     *             {@link ReasonCode#of}); null when neither says
     */
    public record RunStatus(String rid, String state, Integer exit, Long start, Long end, String reason,
                            ReasonCode code) {

        /** A run reported without a code (an older poll.sh): the code its prose stands for. */
        public RunStatus(String rid, String state, Integer exit, Long start, Long end, String reason) {
            this(rid, state, exit, start, end, reason, ReasonCode.of(null, reason));
        }
    }

    /** Parses poll.sh output. Lines that do not fit the protocol are kept aside, never trusted. */
    public static PollReport parse(String output) {
        String agent = Protocol.Agent.NONE.word();
        Map<String, EnvStatus> envs = new LinkedHashMap<>();
        Map<String, RunStatus> runs = new LinkedHashMap<>();
        List<String> garbled = new ArrayList<>();
        AgentClocks clocks = AgentClocks.NONE;
        DiskSpace disk = null;
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            Protocol.PollLine kind = kind(f[0]);
            if (kind == null) {
                garbled.add(line);
                continue;
            }
            switch (kind) {
                case AGENT -> {
                    agent = f.length > 1 ? f[1] : agent;
                    // a poll.sh older than the clocks prints the agent's word alone
                    clocks = f.length >= 6 ? new AgentClocks(clock(f[2]), clock(f[3]), clock(f[4]), clock(f[5]))
                            : AgentClocks.NONE;
                }
                case DISK -> {
                    Long free = f.length >= 3 ? clock(f[1]) : null;
                    Long total = f.length >= 3 ? clock(f[2]) : null;
                    if (free != null && total != null) {
                        disk = new DiskSpace(free, total);
                    } else {
                        garbled.add(line);
                    }
                }
                case ENV -> {
                    if (f.length >= 4 && ID.matcher(f[1]).matches()) {
                        envs.put(f[1], new EnvStatus(f[1], f[2], dash(f[3])));
                    } else {
                        garbled.add(line);
                    }
                }
                case RUN -> {
                    // a poll.sh older than reason codes prints 7 fields, without the code
                    if (f.length >= 7 && ID.matcher(f[1]).matches() && STATE.matcher(f[2]).matches()) {
                        String reason = dash(f[6]);
                        String code = f.length > 7 ? dash(f[7]) : null;
                        runs.put(f[1], new RunStatus(f[1], f[2], integer(f[3]), number(f[4]), number(f[5]), reason,
                                ReasonCode.of(code, reason)));
                    } else {
                        garbled.add(line);
                    }
                }
            }
        }
        return new PollReport(agent, envs, runs, garbled, clocks, disk);
    }

    /** The kind of a line by its first field, or null for a word outside the protocol. */
    private static Protocol.PollLine kind(String word) {
        for (Protocol.PollLine kind : Protocol.PollLine.values()) {
            if (kind.word().equals(word)) {
                return kind;
            }
        }
        return null;
    }

    private static String dash(String value) {
        return value == null || value.equals("-") || value.isEmpty() ? null : value;
    }

    private static Long number(String value) {
        try {
            return dash(value) == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A clock's (or a size's) field: a number, never negative; null when absent or garbled. */
    private static Long clock(String value) {
        Long n = number(value);
        return n == null || n < 0 ? null : n;
    }

    private static Integer integer(String value) {
        Long n = number(value);
        return n == null ? null : (int) (long) n;
    }
}
