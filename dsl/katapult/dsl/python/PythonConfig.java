package katapult.dsl.python;

import java.nio.file.Path;
import java.util.List;
import katapult.config.ConfigException;
import katapult.config.Problem;
import katapult.config.RawMap;

/**
 * A config written in Python's dict syntax ({@code config = { 'project': 'x', 'jobs': [ ... ] }}, a {@code .py}
 * file), read without running Python into the same tree as the map form, every value at its line of the
 * {@code .py} file.
 */
public final class PythonConfig {

    private PythonConfig() {
    }

    /** True for a file read as a Python config: its name ends with {@code .py}. */
    public static boolean isPython(Path file) {
        return file.getFileName() != null && file.getFileName().toString().endsWith(".py");
    }

    /**
     * The configuration of a Python config's text.
     *
     * @param file     the file's name as problems show it
     * @param problems where problems that still let the rest be checked are added (keys written twice, keys that are
     *                 no strings)
     * @throws ConfigException when the text cannot be read as a config: a syntax error, a value that is not a literal,
     *                         no {@code config = ...}, or a config that is not a dict
     */
    public static RawMap read(String text, String file, List<Problem> problems) {
        PyParser.Assignment assignment;
        try {
            assignment = PyParser.parse(text);
        } catch (PySyntaxError e) {
            throw new ConfigException(List.of(new Problem(file, e.line(), e.getMessage() + " (column " + e.column()
                    + ")")));
        }
        if (assignment == null) {
            throw new ConfigException(List.of(new Problem(file, 1, "this file holds no configuration: write "
                    + "config = { 'project': ..., 'jobs': [ ... ] }")));
        }
        RawMap root = PyTranslation.root(assignment.value(), assignment.line(), file, problems);
        if (root == null) {
            throw new ConfigException(List.copyOf(problems));
        }
        return root;
    }
}
