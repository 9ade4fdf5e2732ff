package katapult.remote;

import java.util.List;
import java.util.function.Predicate;

/**
 * Why a run ended ABORTED on its instance, as the agent scripts write it to the run's reason_code file beside the
 * prose reason (which stays for people to read). Decisions are taken on the code, never on the prose.
 */
public enum ReasonCode {
    /** {@code agent.sh R stop}, or a signal to run.sh. */
    STOPPED(true),
    /** run.sh vanished without a verdict (killed, or its agent died while starting it). */
    LOST_PROCESS(true),
    /** The instance rebooted while the run was IDLE or RUNNING. */
    LOST_REBOOT(true),
    EXIT_NONZERO(false),
    EXIT_SIGNAL(false),
    OUTPUT_MISSING(false),
    /** An output is a link leading out of the run's folder, or nowhere. */
    OUTPUT_LINK_OUT(false),
    /** An output is a folder, a FIFO, a socket or a device. */
    OUTPUT_NOT_FILE(false),
    WORK_MISSING(false),
    /** The work folder was removed or replaced by a link while the run ran. */
    WORK_REPLACED(false),
    ENV_NOT_READY(false),
    ENV_FAILED(false),
    ENV_NOT_INSTALLED(false),
    /** Its spot instance got an interruption notice: the run is PREEMPTED, placed again without taking an attempt. */
    PREEMPTED(false),
    /** The batch scheduler ended it at a limit the config sets (time, memory): not retried. */
    SCHEDULER(false),
    /** run.sh could not make the run's private writable copy of an upload (the disk filled up meanwhile). */
    COPY_FAILED(false);

    private final boolean transientLoss;

    ReasonCode(boolean transientLoss) {
        this.transientLoss = transientLoss;
    }

    /** The run died through no fault of its own: worth another attempt. */
    public boolean transientLoss() {
        return transientLoss;
    }

    /** The run failed by its own doing (a non-zero exit, a signal, a missing output): what {@code max_retries} retries. */
    public boolean failure() {
        return this == EXIT_NONZERO || this == EXIT_SIGNAL || this == OUTPUT_MISSING;
    }

    /** The shell variable of protocol.sh holding this code. */
    public String shellName() {
        return "RC_" + name();
    }

    /**
     * The code of a reported run: the code the instance wrote, or, when it wrote none or one this Katapult does
     * not know, the code its prose reason stands for. Compatibility: a run that ended under scripts older than
     * reason codes has only the prose, and this is the one place that still reads it. Null when neither says.
     */
    public static ReasonCode of(String code, String prose) {
        if (code != null) {
            for (ReasonCode c : values()) {
                if (c.name().equals(code)) {
                    return c;
                }
            }
        }
        return prose == null ? null : fromProse(prose);
    }

    /** The prose each code's reason had before codes existed, first match wins. */
    private record Prose(Predicate<String> matches, ReasonCode code) { }

    private static final List<Prose> PROSE = List.of(
            new Prose("process vanished"::equals, LOST_PROCESS),
            new Prose("instance rebooted"::equals, LOST_REBOOT),
            new Prose("stopped"::equals, STOPPED),
            new Prose(p -> p.matches("exit code \\d+ \\(killed by signal .*\\)"), EXIT_SIGNAL),
            new Prose(p -> p.matches("exit code \\d+"), EXIT_NONZERO),
            new Prose(p -> p.startsWith("output '") && p.endsWith("' was not produced"), OUTPUT_MISSING),
            new Prose(p -> p.startsWith("output '") && p.contains("' is a link"), OUTPUT_LINK_OUT),
            new Prose(p -> p.startsWith("output '") && (p.contains("' is a folder") || p.contains("' is not a regular")),
                    OUTPUT_NOT_FILE),
            new Prose("the work folder is missing"::equals, WORK_MISSING),
            new Prose("the run's work folder was removed or replaced by a link"::equals, WORK_REPLACED),
            new Prose(p -> p.startsWith("environment ") && p.endsWith(" is not ready"), ENV_NOT_READY),
            new Prose(p -> p.startsWith("environment ") && p.endsWith(" failed: it was never installed on this instance"),
                    ENV_NOT_INSTALLED),
            new Prose(p -> p.startsWith("environment ") && p.contains(" failed: "), ENV_FAILED));

    private static ReasonCode fromProse(String prose) {
        for (Prose p : PROSE) {
            if (p.matches().test(prose)) {
                return p.code();
            }
        }
        return null;
    }
}
