package katapult.dsl;

import groovy.lang.Binding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import katapult.config.ConfigForm;
import katapult.config.ConfigKeys;
import katapult.config.ConfigKeys.Block;
import katapult.config.Located;
import katapult.config.RawMap;

/**
 * The map form ({@code config = [...]}) as the binder reads it: the script's maps and lists turned into a
 * {@link RawMap} whose every value carries the line the syntax tree gives it, and the keys set outside it.
 */
final class MapForm {

    private MapForm() {
    }

    static RawMap toRaw(Map<?, ?> map, String path, ScriptAst ast) {
        RawMap out = new RawMap(ast.line(path));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String p = path.isEmpty() ? key : path + "." + key;
            int line = ast.line(p);
            out.put(key, new Located(value(e.getValue(), p, ast), line));
        }
        return out;
    }

    private static Object value(Object v, String path, ScriptAst ast) {
        if (v instanceof Map<?, ?> m) {
            return toRaw(m, path, ast);
        }
        if (v instanceof Collection<?> c) {
            List<Located> items = new ArrayList<>();
            int i = 0;
            for (Object item : c) {
                String p = path + "[" + i++ + "]";
                items.add(new Located(value(item, p, ast), ast.line(p)));
            }
            return items;
        }
        if (v instanceof Object[] a) {
            return value(List.of(a), path, ast);
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        return v;
    }

    /** Keys of the config assigned outside the configuration and never read, where they do nothing. */
    static void strays(Binding binding, ScriptAst ast, DslContext ctx, ConfigForm form, boolean anyForm) {
        for (Object name : binding.getVariables().keySet()) {
            String n = String.valueOf(name);
            if (n.equals("config") || n.equals("args") || !ast.variables.getOrDefault(n, List.of()).isEmpty()) {
                continue; // the configuration itself, or a variable the script reads
            }
            for (ConfigForm f : ConfigForm.values()) {
                if (ConfigKeys.findSpelled(Block.CONFIG, n, f).isPresent()) {
                    int line = Math.max(1, ast.assignments.getOrDefault(n, 1));
                    String inside = !anyForm ? "inside katapult { } or config = [ ]"
                            : form == ConfigForm.BLOCK ? "inside the katapult { } block" : "as a key of config = [ ]";
                    ctx.problem(line, "'" + n + "' is set outside the configuration, where it has no effect; "
                            + "write it " + inside);
                    break;
                }
            }
        }
    }
}
