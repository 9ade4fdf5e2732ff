package katapult.provider;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import katapult.cost.Spend;

/**
 * Optional capability of a provider that can host the remote maestro: one small instance of the project, tagged as
 * its maestro, with only the rights the maestro needs. The maestro is reached like any worker, through
 * {@link Provider#shell} on {@link MaestroHost#instance()}.
 */
public interface MaestroHosting {

    /**
     * Finds the project's maestro (by the provider's tags) or launches it, and starts it when stopped. Never makes a
     * second one, even when called again after the caller was killed half-way.
     */
    MaestroHost ensure(Consumer<String> progress) throws IOException;

    /** The project's maestro when one exists (running or stopped), without starting or creating anything. */
    Optional<MaestroHost> find() throws IOException;

    /** The maestro instance's hourly price and its source, for the estimate before a hand-off; empty when free. */
    default Optional<Pricing.Quote> quote() {
        return Optional.empty();
    }

    /** What the maestro instance has cost so far and costs now; empty when the provider charges nothing. */
    default Optional<Spend> spend() throws IOException {
        return Optional.empty();
    }

    /** Removes the maestro instance and the rights made for it (role, instance profile); returns what went. */
    List<String> remove(Consumer<String> progress) throws IOException;
}
