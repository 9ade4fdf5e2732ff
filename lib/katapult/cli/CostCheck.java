package katapult.cli;

import java.util.Locale;
import java.util.Optional;

import katapult.cost.Confirmation;
import katapult.cost.Estimate;
import katapult.cost.Money;
import katapult.session.Session;
import katapult.terminal.Console;

/**
 * Before {@code run} or {@code start} creates anything: prints the estimated cost per hour and, above
 * {@code confirm_above}, asks on the terminal ({@code --yes} skips the question); without a terminal it refuses.
 */
final class CostCheck {

    private CostCheck() {
    }

    /** Whether the command may go on; when not, the reason was printed. */
    static boolean goOn(Session session, Console console, boolean yes) {
        return goOn(session.estimate(), session.config().limits().confirmAbove(), console, yes);
    }

    /** The same for an estimate made otherwise (a hand-off to the remote maestro) and {@code confirm_above}. */
    static boolean goOn(Optional<Estimate> estimate, double threshold, Console console, boolean yes) {
        if (estimate.isEmpty() || estimate.get().instances() == 0) {
            return true;
        }
        console.progress(estimate.get().line());
        java.io.Console terminal = System.console();
        return switch (Confirmation.decide(estimate.get(), threshold, yes, terminal != null)) {
            case GO -> true;
            case ASK -> {
                String answer = terminal.readLine("that is above confirm_above (%s): go on? [y/N] ",
                        Money.perHour(threshold));
                boolean go = answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
                if (!go) {
                    console.error("stopped before creating anything");
                }
                yield go;
            }
            case REFUSE -> {
                console.error("the estimate is above confirm_above (" + Money.perHour(threshold) + ") and there is"
                        + " no terminal to ask: pass --yes to go on (nothing was created)");
                yield false;
            }
        };
    }
}
