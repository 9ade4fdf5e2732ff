package katapult.maestro;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import katapult.cost.Spend;
import katapult.provider.MaestroHost;
import katapult.session.Session;
import katapult.session.SessionException;
import katapult.transport.ExecResult;
import katapult.transport.Shell;

/**
 * The laptop's commands for a session driven by its remote maestro: each runs the matching Katapult command on the
 * maestro (or asks it whether its Katapult still runs) and brings back what it printed, its results and its state.
 * A stopped maestro is started only where its disk is needed (wait, fetch, down).
 */
public final class MaestroCommands {

    private static final Duration POLL = Duration.ofSeconds(2);

    private final MaestroLink link;
    private final PrintStream out;

    public MaestroCommands(MaestroLink link, PrintStream out) {
        this.link = link;
        this.out = out;
    }

    /** `status`: what `katapult status` prints on the maestro; empty when the maestro is not running. */
    public Optional<String> status(boolean json) {
        return call(() -> {
            Optional<MaestroHost> host = link.running();
            if (host.isEmpty()) {
                return Optional.empty();
            }
            try (Shell shell = link.shell(host.get())) {
                ExecResult result = link.katapult(shell, json ? List.of("status", "--json") : List.of("status"));
                String text = result.ok() ? result.stdout() : result.stdout() + result.stderr();
                Optional<Spend> own = link.spend();
                if (json) {
                    return Optional.of(own.map(s -> MaestroSpend.json(text, s)).orElse(text));
                }
                String table = own.map(s -> MaestroSpend.text(text, s)).orElse(text);
                return Optional.of("maestro " + host.get().instance().handle() + ": Katapult "
                        + link.katapultState(shell) + "\n" + table);
            }
        });
    }

    /** `watch`: the maestro's status whenever it changes, until its Katapult ended; false when it timed out. */
    public boolean watch(Duration timeout) {
        return call(() -> {
            Instant until = timeout == null ? Instant.MAX : Instant.now().plus(timeout);
            String shown = "";
            while (true) {
                try (Shell shell = link.shell(runningOrFail())) {
                    String now = link.katapult(shell, List.of("status")).stdout();
                    if (!now.equals(shown)) {
                        out.print(now);
                        out.flush();
                        shown = now;
                    }
                    if (!link.katapultState(shell).equals("running")) {
                        return true;
                    }
                }
                if (!Instant.now().isBefore(until)) {
                    return false;
                }
                pause();
            }
        });
    }

    /** `logs`: the maestro's `katapult logs ARGS`; while its Katapult drives the project, the maestro's own log. */
    public int logs(List<String> args, boolean follow) {
        return call(() -> {
            int shown = 0;
            while (true) {
                try (Shell shell = link.shell(runningOrFail())) {
                    boolean driving = link.katapultState(shell).equals("running");
                    ExecResult result = driving ? shell.exec("tail -c 200000 " + MaestroFolder.word(
                            link.folder().log()), null, Duration.ofMinutes(1)) : link.katapult(shell, args);
                    String text = result.stdout() + (result.ok() ? "" : result.stderr());
                    if (!follow) {
                        if (driving) {
                            out.println("--- the maestro drives the project; its log:");
                        }
                        out.print(text);
                        return result.exitCode();
                    }
                    if (text.length() > shown) {
                        out.print(text.substring(Math.min(shown, text.length())));
                        out.flush();
                        shown = text.length();
                    }
                    if (!driving) {
                        return result.exitCode();
                    }
                }
                pause();
            }
        });
    }

    /**
     * `wait`: polls the maestro until its Katapult ended (every run finished), then fetches. Returns the code the
     * maestro's run ended with, or -1 when {@code timeout} passed first.
     */
    public int waitAll(Duration timeout) {
        return call(() -> {
            Instant until = timeout == null ? Instant.MAX : Instant.now().plus(timeout);
            while (true) {
                MaestroHost host = link.started();
                try (Shell shell = link.shell(host)) {
                    String state = link.katapultState(shell);
                    if (!state.equals("running")) {
                        fetchFrom(shell);
                        return state.startsWith("ended ") ? Integer.parseInt(state.substring(6).strip()) : 0;
                    }
                }
                if (!Instant.now().isBefore(until)) {
                    return -1;
                }
                pause();
            }
        });
    }

    /** `fetch`: the maestro's results into the local results folder (the maestro started when stopped). */
    public MaestroResults.Fetched fetch() {
        return call(() -> {
            try (Shell shell = link.shell(link.started())) {
                return fetchFrom(shell);
            }
        });
    }

    private MaestroResults.Fetched fetchFrom(Shell shell) throws IOException {
        Path results = link.workspace().resolve("results").resolve(link.project());
        MaestroResults.Fetched fetched = MaestroResults.fetch(shell, link.folder(), results);
        MaestroState.mirror(shell, link.folder(), Session.stateDir(link.workspace(), link.project()));
        return fetched;
    }

    /** `stop`: ends Katapult on the maestro, stops the workers from there, fetches, then stops the maestro. */
    public void stop() {
        call(() -> {
            Optional<MaestroHost> host = link.running();
            if (host.isEmpty()) {
                link.progress().accept("the maestro is not running; nothing to stop");
                return null;
            }
            try (Shell shell = link.shell(host.get())) {
                link.halt(shell);
                relay(link.katapult(shell, List.of("stop")), "stop");
                fetchFrom(shell);
            }
            link.stopMachine(host.get());
            link.progress().accept("stopped the maestro (its disk stays); `katapult run` hands the session on again");
            return null;
        });
    }

    /**
     * `down`: ends Katapult on the maestro, fetches its results, runs `down` there (workers removed), then removes
     * the maestro and its rights. A maestro whose results cannot be fetched is kept unless {@code discard}.
     */
    public List<String> down(boolean purge, boolean discard) {
        return call(() -> {
            if (link.found().isPresent()) {
                try (Shell shell = link.shell(link.started())) {
                    link.halt(shell);
                    try {
                        fetchFrom(shell);
                    } catch (IOException | RuntimeException e) {
                        if (!discard) {
                            throw new SessionException("the maestro's results could not be fetched (" + e.getMessage()
                                    + "): nothing was removed; fetch them later, or pass --discard-unfetched");
                        }
                    }
                    List<String> args = new ArrayList<>(List.of("down"));
                    if (purge) {
                        args.add("--purge");
                    }
                    if (discard) {
                        args.add("--discard-unfetched");
                    }
                    relay(link.katapult(shell, args), "down");
                    fetchFrom(shell);
                }
            }
            return link.remove();
        });
    }

    /** What the maestro instance itself has cost so far; empty when its provider charges nothing. */
    public Optional<Spend> maestroSpend() {
        return call(link::spend);
    }

    private void relay(ExecResult result, String what) {
        out.print(result.stdout());
        if (!result.ok()) {
            throw new SessionException("`katapult " + what + "` on the maestro failed (exit " + result.exitCode()
                    + "): " + result.stderr().strip() + "; the maestro was kept");
        }
    }

    private MaestroHost runningOrFail() throws IOException {
        return link.running().orElseThrow(() -> new SessionException("the maestro of project '" + link.project()
                + "' is not running: `katapult wait` or `katapult fetch` starts it"));
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("interrupted");
        }
    }

    /** A step that reaches the maestro. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException;
    }

    private <T> T call(Step<T> step) {
        try {
            return step.run();
        } catch (IOException e) {
            throw new SessionException("cannot reach the maestro of project '" + link.project() + "': "
                    + e.getMessage(), e);
        }
    }
}
