package katapult.faults

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption

import com.fasterxml.jackson.databind.ObjectMapper

/**
 * The fault matrix's table: every scenario appends one row (one JSON line) to target/fault-matrix.jsonl, and the
 * suite prints the whole table at its end. A file, not a field, so that the rows of every spec class (and fork)
 * end up in one table.
 */
class FaultTable {

    static final Path FILE = Path.of('target', 'fault-matrix.jsonl')

    private static final ObjectMapper JSON = new ObjectMapper()

    /** Appends one row: provider, scenario, runs, executions, fetched, launched, alive, left, seconds (any order). */
    static synchronized void row(Map cells) {
        Files.createDirectories(FILE.toAbsolutePath().parent)
        Files.writeString(FILE, JSON.writeValueAsString(cells.collectEntries { k, v -> [(k.toString()): v instanceof GString ? v.toString() : v] }) + '\n', StandardOpenOption.CREATE, StandardOpenOption.APPEND)
    }

    /** Every row recorded so far, as an aligned text table (columns in the order they first appear). */
    static synchronized String render() {
        if (!Files.exists(FILE)) {
            return '(no fault-matrix rows)\n'
        }
        List<Map> rows = Files.readAllLines(FILE).findAll { it.trim() }.collect { JSON.readValue(it, LinkedHashMap) }
        List<String> columns = rows.collectMany { it.keySet() as List }.unique()
        List<List<String>> cells = [columns] + rows.collect { r -> columns.collect { r[it] == null ? '' : String.valueOf(r[it]) } }
        List<Integer> widths = columns.indices.collect { i -> cells.collect { it[i].length() }.max() }
        def line = { List<String> row -> row.withIndex().collect { c, i -> c.padRight(widths[i]) }.join('  ').trim() }
        ([line(cells[0]), widths.collect { '-' * it }.join('  ')] + cells.drop(1).collect(line)).join('\n') + '\n'
    }
}
