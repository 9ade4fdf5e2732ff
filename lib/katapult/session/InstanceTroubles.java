package katapult.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import katapult.plan.InstancePlan;
import katapult.state.InstanceRecord;

/**
 * Instances that failed a step (cannot be reached, refused for their host key, a command failed), each told once
 * with the instance and the reason until it answers again: one such instance neither floods the output poll after
 * poll nor stops the session from working the others.
 */
final class InstanceTroubles {

    /** The kind of failure last told for each instance. */
    private final Map<String, Class<?>> told = new ConcurrentHashMap<>();
    private final Consumer<Event> listener;

    InstanceTroubles(Consumer<Event> listener) {
        this.listener = listener;
    }

    /**
     * Tells {@code message} unless a failure of the same kind was told for {@code instance} since it last answered
     * (a retry that fails the same way is no news); returns whether it told.
     */
    boolean report(String instance, Exception failure, String message) {
        Class<?> kind = failure.getClass();
        if (kind.equals(told.put(instance, kind))) {
            return false;
        }
        listener.accept(new Event.Warning(message));
        return true;
    }

    /** Tells each instance's failure of {@code step} (once, as {@link #report}); the other instances go on. */
    void reportAll(String step, Map<?, Exception> failures) {
        failures.forEach((what, e) -> {
            String instance = nameOf(what);
            report(instance, e, instance + ": " + step + " failed: " + e.getMessage()
                    + " (the other instances go on; this one is tried again)");
        });
    }

    /** The instance answered: a later failure is told again. Returns whether it was in trouble. */
    boolean cleared(String instance) {
        return told.remove(instance) != null;
    }

    /** The instance a failure map's key names (a plan, a record or a name). */
    static String nameOf(Object what) {
        if (what instanceof InstancePlan plan) {
            return plan.name();
        }
        if (what instanceof InstanceRecord record) {
            return record.name();
        }
        return String.valueOf(what);
    }
}
