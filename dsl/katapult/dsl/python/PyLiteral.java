package katapult.dsl.python;

import java.util.List;

/** A literal value of a Python config, with the line and column where it starts. */
public sealed interface PyLiteral {

    int line();

    int column();

    /** {@code { key: value, ... }}: the entries in the order written. */
    record Dict(List<Entry> entries, int line, int column) implements PyLiteral {
        public Dict {
            entries = List.copyOf(entries);
        }
    }

    /** One {@code key: value} of a {@link Dict}. */
    record Entry(PyLiteral key, PyLiteral value) {
    }

    /** {@code [ ... ]} or a tuple {@code ( ..., )}: both are lists to a config. */
    record Sequence(List<PyLiteral> items, int line, int column) implements PyLiteral {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** A string, a number, {@code True}, {@code False} or {@code None} (null). */
    record Scalar(Object value, int line, int column) implements PyLiteral {
    }
}
