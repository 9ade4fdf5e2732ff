package katapult.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One block of a config as read from the file, before any validation: its keys in the order written,
 * each with its value and the line of the key. Both config forms (block and map) are read into this
 * tree; {@link ConfigBinder} turns it into a {@link Config}.
 */
public final class RawMap {

    private final int line;
    private final Map<String, Located> entries = new LinkedHashMap<>();

    public RawMap(int line) {
        this.line = line;
    }

    /** The line the block (or map literal) starts on. */
    public int line() {
        return line;
    }

    /** Sets a key; a later value replaces an earlier one. */
    public void put(String key, Located value) {
        entries.put(key, value);
    }

    /** The value of a key, or null when the key is absent. */
    public Located get(String key) {
        return entries.get(key);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Collection<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Appends an item to the list under {@code key}, creating the list on first use. */
    @SuppressWarnings("unchecked")
    public void append(String key, Located item, int keyLine) {
        Located current = entries.get(key);
        if (current == null || !(current.value() instanceof List)) {
            current = new Located(new ArrayList<Located>(), keyLine);
            entries.put(key, current);
        }
        ((List<Located>) current.value()).add(item);
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
