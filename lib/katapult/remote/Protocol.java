package katapult.remote;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The words of the instance protocol as Katapult spells them. templates/protocol.sh defines the same words for the
 * scripts, and ProtocolSpec checks that both agree; docs/PROTOCOL.md says what each one means.
 */
public final class Protocol {

    private Protocol() {
    }

    /** fetch.sh's second argument, instead of a byte limit, for its acknowledgement: the runs on stdin are stored. */
    public static final String ACK = "--ack";

    /** Run states as a run's state file and poll.sh spell them (the session's UNKNOWN never travels). */
    public enum State {
        WAIT, QUEUE, IDLE, RUNNING, DONE, ABORTED,
        /** Taken off a spot instance that got an interruption notice: Katapult places it again elsewhere. */
        PREEMPTED;

        /** The shell variable of protocol.sh holding this word. */
        public String shellName() {
            return "ST_" + name();
        }
    }

    /** Environment statuses as poll.sh reports them. */
    public enum EnvState {
        PENDING, SETUP, READY, FAILED;

        public String shellName() {
            return "ENV_" + name();
        }
    }

    /** The agent as {@code agent.sh R start} and poll.sh report it. */
    public enum Agent {
        RUNNING, STARTED, NONE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String shellName() {
            return "AGENT_" + name();
        }
    }

    /** What a shutdown does to the machine, as the instance's lifecycle file says (Katapult writes it). */
    public enum Shutdown {
        /** The provider does not own the machine (local, ssh): the agent never shuts it down. */
        NONE,
        /** Stopped with its disk kept (an on-demand instance). */
        STOP,
        /** Destroyed with its disk (a one-time spot instance). */
        TERMINATE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String shellName() {
            return "SD_" + name();
        }
    }

    /** Why the agent shut its machine down (lifecycle.sh's verdicts, the agent's log, the R/shutdown file). */
    public enum ShutdownReason {
        IDLE, DEADMAN, ABANDON;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String shellName() {
            return "LC_" + name();
        }
    }

    /** Exit codes of the scripts. */
    public enum ExitCode {
        OK(0), FAIL(1), USAGE(2), SIGNAL(143);

        private final int code;

        ExitCode(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public String shellName() {
            return "EX_" + name();
        }
    }

    /** The files of a run's folder {@code runs/<rid>/}. */
    public enum RunFile {
        CMD("cmd"), ENV("env"), CPUS("cpus"), OUTPUTS("outputs"), WORK("work"), STATE("state"), PID("pid"),
        BOOT("boot"), START("start"), END("end"), EXIT("exit"), REASON("reason"), REASON_CODE("reason_code"),
        OUT_LOG("out.log"), ERR_LOG("err.log"), FETCHED("fetched"), PREEMPTED("preempted"), SHARED("shared");

        private final String fileName;

        RunFile(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }
    }

    /** The kinds of line poll.sh prints (their first field). */
    public enum PollLine {
        AGENT, DISK, ENV, RUN;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The state words, for a pattern that accepts nothing else. */
    public static List<String> stateWords() {
        return Arrays.stream(State.values()).map(Enum::name).toList();
    }
}
