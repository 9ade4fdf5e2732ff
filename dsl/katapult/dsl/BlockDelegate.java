package katapult.dsl;

import groovy.lang.Closure;
import java.util.Optional;
import katapult.config.ConfigForm;
import katapult.config.ConfigKey;
import katapult.config.ConfigKeys;
import katapult.config.ConfigKeys.Block;
import katapult.config.Located;
import katapult.config.RawMap;

/**
 * The delegate of every block ({@code katapult { }}, {@code instance { }}, {@code environment { }}, {@code job { }}):
 * a call or an assignment is looked up in the key table of its block and recorded with its line. It has no method
 * per key, so a key added to the table is accepted here as it is; the IDE learns the keys from the generated
 * {@code katapult.gdsl}.
 */
public final class BlockDelegate {

    private final Recorder recorder;

    BlockDelegate(Recorder recorder) {
        this.recorder = recorder;
    }

    /** Whether {@code name} is a plain key of this block, set with {@code name value} or {@code name = value}. */
    boolean accepts(String name) {
        return lookUp(name).filter(k -> k.type().opens() == null).isPresent();
    }

    /** {@code cpus 2}, {@code envPypi 'a', 'b'}, {@code job 'name', { ... }}: a key of this block, or a helper. */
    public Object methodMissing(String name, Object args) {
        Object[] argv = args instanceof Object[] a ? a : new Object[] {args};
        Optional<ConfigKey<?>> key = lookUp(name);
        if (key.isPresent() && key.get().type().opens() != null) {
            if (openBlock(key.get(), argv)) {
                return null;
            }
        } else if (key.isPresent() && key.get().type().several()) {
            recorder.set(mapName(key.get(), name), Recorder.values(argv));
            return null;
        } else if (key.isPresent() && argv.length == 1) {
            recorder.set(mapName(key.get(), name), argv[0]);
            return null;
        }
        return recorder.missingMethod(name, args);
    }

    /** {@code cpus = 2} inside a block: the same as {@code cpus 2}. */
    public void propertyMissing(String name, Object value) {
        recorder.missingProperty(name, value);
    }

    private Optional<ConfigKey<?>> lookUp(String name) {
        return ConfigKeys.findSpelled(recorder.block, name, ConfigForm.BLOCK);
    }

    /** The map spelling the call records: the key's, or its alias's ({@code inputFile} → {@code input_file}). */
    private static String mapName(ConfigKey<?> key, String called) {
        String alias = Recorder.aliasFor(called);
        return alias != null ? alias : key.name();
    }

    /**
     * A nested block: {@code instance { }}, or {@code environment { }} / {@code job { }} with or without a name
     * first. Other shapes are left to {@link Recorder#missingMethod}, which says what the block takes.
     */
    private boolean openBlock(ConfigKey<?> key, Object[] argv) {
        Block inner = key.type().opens();
        boolean named = inner != Block.INSTANCE && argv.length == 2 && argv[1] instanceof Closure<?>;
        if (!named && !(argv.length == 1 && argv[0] instanceof Closure<?>)) {
            return false;
        }
        DslContext ctx = recorder.ctx;
        int line = ctx.line();
        RawMap item = new RawMap(line);
        recorder.map.append(key.name(), new Located(item, line), line);
        Recorder r = new Recorder(ctx, inner, item);
        if (named && argv[0] != null) {
            r.setAt("name", argv[0], item.line());
        }
        ctx.run((Closure<?>) argv[named ? 1 : 0], new BlockDelegate(r));
        return true;
    }
}
