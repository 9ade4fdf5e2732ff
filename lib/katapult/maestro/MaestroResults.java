package katapult.maestro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import katapult.transport.SafePaths;
import katapult.transport.Shell;
import katapult.transport.ShellQuote;

/**
 * Brings the results the maestro fetched from its workers into this machine's results folder. Only whole files
 * are listed (the maestro writes each under a temporary name and renames it), a file already here is never
 * replaced (but a job's {@code runs.csv}, which the maestro keeps up to date), each arrives under a temporary name renamed whole, and every name the maestro gives is checked to stay
 * inside the results folder.
 */
public final class MaestroResults {

    /** How many files came, and how many were here already. */
    public record Fetched(int copied, int present) {
    }

    private MaestroResults() {
    }

    static Fetched fetch(Shell shell, MaestroFolder folder, Path localResults) throws IOException {
        String list = "cd " + MaestroFolder.word(folder.results()) + " 2>/dev/null || exit 0; find . -type f"
                + " ! -name '*.part' ! -name '*.part-*' -print0 | tr '\\0' '\\n'";
        String listing = shell.exec(list, null, Duration.ofMinutes(2)).orThrow("listing the maestro's results")
                .stdout();
        int copied = 0;
        int present = 0;
        for (String line : listing.split("\n")) {
            String name = line.startsWith("./") ? line.substring(2) : line;
            if (name.isBlank()) {
                continue;
            }
            Path target = SafePaths.inside(localResults, name);
            // a job's runs.csv is the maestro's table of its runs: the newer one replaces it
            boolean table = name.endsWith("/runs.csv") && name.indexOf('/') == name.lastIndexOf('/');
            if (Files.exists(target) && !table) {
                present++;
                continue;
            }
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            shell.get(folder.results() + "/" + name, partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            copied++;
        }
        shell.exec(folder.call("fetched"), null, Duration.ofMinutes(1)).orThrow("telling the maestro "
                + ShellQuote.quote(folder.project()) + "'s results were fetched");
        return new Fetched(copied, present);
    }
}
