package katapult.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import katapult.provider.Provider;
import katapult.remote.RemoteCommands;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;
import katapult.state.RunRecord;

/** A run's stdout and stderr: read live from its instance while it can be reached, else from the fetched results. */
final class RunLogs {

    private final StateKeeper keeper;
    private final Provider provider;
    private final RemoteLayout layout;
    private final Fetcher fetcher;

    RunLogs(StateKeeper keeper, Provider provider, RemoteLayout layout, Fetcher fetcher) {
        this.keeper = keeper;
        this.provider = provider;
        this.layout = layout;
        this.fetcher = fetcher;
    }

    String read(RunRecord run, boolean stderr) {
        InstanceRecord record = run.instance() == null ? null : keeper.get().instance(run.instance()).orElse(null);
        if (record != null && run.submitted()) {
            try (var shell = provider.shell(record)) {
                var result = shell.exec(RemoteCommands.readFile(
                        layout.on(record.name()).runFile(run.rid(), stderr ? "err.log" : "out.log")));
                if (result.ok() && !result.stdout().isEmpty()) {
                    return result.stdout();
                }
            } catch (IOException | RuntimeException unreachable) {
                // fall back to what was fetched
            }
        }
        Path file = fetcher.folder(run).resolve(stderr ? Fetcher.STDERR : Fetcher.STDOUT);
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new SessionException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
