package katapult.session;

import java.nio.file.Path;

import katapult.state.RunRecord;
import katapult.state.RunState;

/** What a session tells whoever listens (the CLI prints it, a script may log it). The session itself never prints. */
public sealed interface Event {

    /** Progress of a step: {@code step} is start, deploy, submit, wait, fetch, stop or down. */
    record Step(String step, String message) implements Event { }

    /** A run moved from one state to another. */
    record RunChanged(RunRecord run, RunState from) implements Event { }

    /** A finished run's outputs and logs are in {@code folder}. */
    record Fetched(RunRecord run, Path folder) implements Event { }

    /** Something went wrong that the session works around (an unreachable instance, a missing output...). */
    record Warning(String message) implements Event { }
}
