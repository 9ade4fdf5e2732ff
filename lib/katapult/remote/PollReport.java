package katapult.remote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One instance's answer to poll.sh: the agent, every environment and every run, parsed and checked. */
public record PollReport(String agent, Map<String, EnvStatus> envs, Map<String, RunStatus> runs, List<String> garbled) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern STATE = Pattern.compile("WAIT|QUEUE|IDLE|RUNNING|DONE|ABORTED");

    public record EnvStatus(String key, String status, String reason) { }

    /** A run as the instance sees it; numbers are null where the instance has none yet. */
    public record RunStatus(String rid, String state, Integer exit, Long start, Long end, String reason) { }

    /** Parses poll.sh output. Lines that do not fit the protocol are kept aside, never trusted. */
    public static PollReport parse(String output) {
        String agent = "none";
        Map<String, EnvStatus> envs = new LinkedHashMap<>();
        Map<String, RunStatus> runs = new LinkedHashMap<>();
        List<String> garbled = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "agent" -> agent = f.length > 1 ? f[1] : agent;
                case "env" -> {
                    if (f.length >= 4 && ID.matcher(f[1]).matches()) {
                        envs.put(f[1], new EnvStatus(f[1], f[2], dash(f[3])));
                    } else {
                        garbled.add(line);
                    }
                }
                case "run" -> {
                    if (f.length >= 7 && ID.matcher(f[1]).matches() && STATE.matcher(f[2]).matches()) {
                        runs.put(f[1], new RunStatus(f[1], f[2], integer(f[3]), number(f[4]), number(f[5]), dash(f[6])));
                    } else {
                        garbled.add(line);
                    }
                }
                default -> garbled.add(line);
            }
        }
        return new PollReport(agent, envs, runs, garbled);
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

    private static Integer integer(String value) {
        Long n = number(value);
        return n == null ? null : (int) (long) n;
    }
}
