package katapult.dsl;

import groovy.lang.Closure;
import groovy.lang.GString;
import groovy.lang.MetaClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import katapult.config.ConfigForm;
import katapult.config.ConfigKey;
import katapult.config.ConfigKeys;
import katapult.config.ConfigKeys.Block;
import katapult.config.Located;
import katapult.config.RawMap;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * What a block delegate records into: one {@link RawMap} with the line of every key. Kept out of the
 * delegates themselves so that their only public methods are the keys of the language.
 */
final class Recorder {

    final DslContext ctx;
    final Block block;
    final RawMap map;

    Recorder(DslContext ctx, Block block, RawMap map) {
        this.ctx = ctx;
        this.block = block;
        this.map = map;
    }

    /** Records {@code key} (its map spelling) at the current line of the script. */
    void set(String key, Object value) {
        setAt(key, value, ctx.line());
    }

    void setAt(String key, Object value, int line) {
        Located earlier = map.get(key);
        if (earlier != null) {
            ctx.problem(line, "'" + ConfigKeys.spell(block, key, ConfigForm.BLOCK) + "' is given twice in "
                    + block.describe(ConfigForm.BLOCK) + (earlier.line() > 0 ? " (first at line " + earlier.line() + ")" : ""));
            return;
        }
        map.put(key, new Located(raw(value, line), line));
    }

    /** The value of a method taking several values: one value as is, several as a list. */
    static Object values(Object[] values) {
        if (values == null || values.length == 0) {
            return null;
        }
        return values.length == 1 ? values[0] : Arrays.asList(values);
    }

    /**
     * A call no key matches: a method of the script itself or a closure of its binding (helpers the
     * user wrote) is called; anything else is reported, with a did-you-mean.
     */
    Object missingMethod(String name, Object args) {
        Object[] argv = args instanceof Object[] a ? a : new Object[] {args};
        Object script = ctx.script;
        if (script != null) {
            MetaClass mc = InvokerHelper.getMetaClass(script);
            if (!mc.respondsTo(script, name, argv).isEmpty()) {
                return InvokerHelper.invokeMethod(script, name, argv);
            }
            if (ctx.script.getBinding().hasVariable(name)
                    && ctx.script.getBinding().getVariable(name) instanceof Closure<?> c) {
                return c.call(argv);
            }
        }
        int line = ctx.line();
        if (ConfigKeys.findSpelled(block, name, ConfigForm.BLOCK).isPresent()) {
            // a key of this block called with the wrong arguments
            ConfigKey<?> k = ConfigKeys.findSpelled(block, name, ConfigForm.BLOCK).get();
            if (k.type().opens() != null) {
                ctx.problem(line, "'" + name + "' takes a block: " + name + " { ... }"
                        + (k.name().equals("instances") ? "" : " or " + name + " 'its-name', { ... }"));
            } else {
                ctx.problem(line, "'" + name + "' takes one value, got " + argv.length
                        + (argv.length > 1 ? "; for a list write " + name + "([a, b])" : ""));
            }
            return null;
        }
        ctx.problem(line, ConfigKeys.unknownKey(block, name, ConfigForm.BLOCK));
        return null;
    }

    /** {@code cpus = 2} inside a block: the same as {@code cpus 2}. */
    void missingProperty(String name, Object value) {
        if (ConfigKeys.findSpelled(block, name, ConfigForm.BLOCK).isPresent()) {
            ConfigKey<?> k = ConfigKeys.findSpelled(block, name, ConfigForm.BLOCK).get();
            String alias = aliasFor(name);
            String key = alias != null ? alias : k.name();
            if (k.type().opens() != null) {
                ctx.problem(ctx.line(), "'" + name + "' takes a block: " + name + " { ... }");
                return;
            }
            set(key, value);
            return;
        }
        ctx.problem(ctx.line(), ConfigKeys.unknownKey(block, name, ConfigForm.BLOCK));
    }

    /** The map spelling of an alias written in camelCase ({@code inputFile} → {@code input_file}), or null. */
    static String aliasFor(String camel) {
        for (String alias : ConfigKeys.ALIASES.keySet()) {
            if (ConfigKeys.camel(alias).equals(camel)) {
                return alias;
            }
        }
        return null;
    }

    /** Block-form values as the raw tree holds them: lists and maps become located lists and maps. */
    static Object raw(Object value, int line) {
        if (value == null) {
            return null;
        }
        if (value instanceof GString || value instanceof CharSequence) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> m) {
            RawMap out = new RawMap(line);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), new Located(raw(e.getValue(), line), line));
            }
            return out;
        }
        if (value instanceof Collection<?> c) {
            List<Located> out = new ArrayList<>();
            for (Object item : c) {
                out.add(new Located(raw(item, line), line));
            }
            return out;
        }
        if (value instanceof Object[] a) {
            return raw(Arrays.asList(a), line);
        }
        return value;
    }
}
