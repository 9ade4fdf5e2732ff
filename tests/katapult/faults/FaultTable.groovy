package katapult.faults

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption

import com.fasterxml.jackson.databind.ObjectMapper

/**
 * The fault-matrix table: each scenario of the fault specs appends one row (a JSON line) to
 * {@code target/fault-matrix.jsonl}; {@link #render} reads them back as an aligned text table, printed at the end of
 * a suite.
 */
class FaultTable {

    static final Path FILE = Path.of('target', 'fault-matrix.jsonl')

    private static final ObjectMapper JSON = new ObjectMapper()

    /** Appends one row; the specs of one JVM may add rows at the same time. */
    static synchronized void row(Map cells) {
        Files.createDirectories(FILE.toAbsolutePath().parent)
        Files.writeString(FILE, JSON.writeValueAsString(cells) + '\n', StandardOpenOption.CREATE, StandardOpenOption.APPEND)
    }

    /** Every row so far as an aligned table, its columns in the order they first appear. */
    static synchronized String render() {
        if (!Files.exists(FILE)) {
            return ''
        }
        List<Map> rows = Files.readAllLines(FILE).findAll { it.trim() }.collect { JSON.readValue(it, LinkedHashMap) }
        List<String> columns = rows.collectMany { it.keySet() as List }.unique()
        List<List<String>> cells = [columns] + rows.collect { r -> columns.collect { (r[it] == null ? '' : String.valueOf(r[it])) } }
        List<Integer> widths = columns.indices.collect { c -> cells.collect { it[c].length() }.max() }
        cells.collect { line -> line.withIndex().collect { v, c -> v.padRight(widths[c]) }.join(' | ').trim() }
                .with { it.take(1) + [widths.collect { '-' * it }.join('-+-')] + it.drop(1) }
                .join('\n') + '\n'
    }
}
