package katapult.dsl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import katapult.config.ConfigKey;
import katapult.config.ConfigKeys;
import katapult.config.ConfigKeys.Block;

/**
 * The IntelliJ IDEA descriptor {@code katapult.gdsl}, made from the key table: one method per key of each block,
 * with its meaning as documentation. A spec keeps the shipped file equal to {@link #render()}.
 */
public final class Gdsl {

    private Gdsl() {
    }

    /** The descriptor's text. */
    public static String render() {
        StringBuilder b = new StringBuilder();
        b.append("// IntelliJ IDEA descriptor for Katapult config files: completion and documentation for katapult { }.\n")
                .append("// Generated from the key table (katapult.dsl.Gdsl): do not edit by hand.\n")
                .append("contributor(context(scope: scriptScope())) {\n")
                .append("    method name: 'katapult', type: 'void', params: [body: 'groovy.lang.Closure'],\n")
                .append("            doc: 'The whole configuration, in the block form. See the configuration reference in README.md.'\n")
                .append("    property name: 'config', type: 'java.util.Map',\n")
                .append("            doc: 'The whole configuration, in the map form: config = [ project: ..., instances: [...], environments: [...], jobs: [...] ]'\n")
                .append("}\n");
        for (Block block : Block.values()) {
            b.append("\ncontributor(context(scope: closureScope())) {\n    if (").append(condition(block)).append(") {\n");
            for (ConfigKey<?> k : ConfigKeys.keys(block)) {
                b.append("        method name: '").append(k.camel()).append("', type: 'void', params: [")
                        .append(params(k)).append("],\n                doc: '").append(escape(k.meaning())).append("'\n");
            }
            b.append("    }\n}\n");
        }
        return b.toString();
    }

    /** Inside the block itself, not inside a block nested in it. */
    private static String condition(Block block) {
        List<String> nested = List.of("instance", "environment", "job");
        if (block == Block.CONFIG) {
            return "enclosingCall('katapult')" + nested.stream().map(n -> " && !enclosingCall('" + n + "')")
                    .reduce("", String::concat);
        }
        return "enclosingCall('" + block.word() + "')";
    }

    private static String params(ConfigKey<?> k) {
        if (k.type().opens() != null) {
            return "body: 'groovy.lang.Closure'";
        }
        return k.type().several() ? "values: 'java.lang.Object[]'" : "value: 'java.lang.Object'";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    /** Writes the descriptor to the file named by the first argument. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), render());
    }
}
