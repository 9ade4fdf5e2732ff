package katapult.dsl.python;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import katapult.config.Located;
import katapult.config.Problem;
import katapult.config.RawMap;

/**
 * Turns a Python config's literal into the tree the map form loads into: a dict becomes a {@link RawMap}, a list or
 * tuple a list of {@link Located} items, a scalar itself (None is null), each value placed at the line of its key
 * (or, in a list, its own line). Keys that are not strings, and a key written twice in one dict, are problems at
 * their line; the rest of the tree is still translated, so that the binder reports its own problems too.
 */
public final class PyTranslation {

    private final String file;
    private final List<Problem> problems;

    private PyTranslation(String file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * The configuration {@code config = value} describes.
     *
     * @param file     the file's name as problems show it
     * @param problems where problems found while translating are added
     * @return the root map, or null when {@code value} is not a dict (a problem then says so)
     */
    public static RawMap root(PyLiteral value, int configLine, String file, List<Problem> problems) {
        if (!(value instanceof PyLiteral.Dict dict)) {
            problems.add(new Problem(file, configLine, "config must be a dict: config = { 'key': value, ... }, got "
                    + kind(value)));
            return null;
        }
        return new PyTranslation(file, problems).map(dict);
    }

    private RawMap map(PyLiteral.Dict dict) {
        RawMap out = new RawMap(dict.line());
        Map<String, Integer> firstLines = new HashMap<>();
        for (PyLiteral.Entry e : dict.entries()) {
            int line = e.key().line();
            if (!(e.key() instanceof PyLiteral.Scalar s) || !(s.value() instanceof String key)) {
                problems.add(new Problem(file, line, "a key must be a string in quotes, like 'project', got "
                        + kind(e.key())));
                continue;
            }
            Integer first = firstLines.putIfAbsent(key, line);
            if (first != null) {
                problems.add(new Problem(file, line, "'" + key + "' is written twice in this dict (first at line "
                        + first + "); only the last one would count"));
            }
            out.put(key, new Located(value(e.value()), line));
        }
        return out;
    }

    private Object value(PyLiteral v) {
        if (v instanceof PyLiteral.Dict d) {
            return map(d);
        }
        if (v instanceof PyLiteral.Sequence seq) {
            List<Located> items = new ArrayList<>();
            for (PyLiteral item : seq.items()) {
                items.add(new Located(value(item), item.line()));
            }
            return items;
        }
        return ((PyLiteral.Scalar) v).value();
    }

    private static String kind(PyLiteral v) {
        if (v instanceof PyLiteral.Dict) {
            return "a dict";
        }
        if (v instanceof PyLiteral.Sequence) {
            return "a list";
        }
        Object o = ((PyLiteral.Scalar) v).value();
        return o == null ? "None" : o instanceof String s ? "'" + s + "' (str)" : o instanceof Boolean b
                ? (b ? "True" : "False") : o + " (number)";
    }
}
