package katapult.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.MissingMethodException;
import groovy.lang.Script;
import katapult.config.ConfigForm;
import katapult.config.ConfigKeys;
import katapult.config.ConfigKeys.Block;
import katapult.config.DidYouMean;
import java.util.List;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * The base class of every config script: it gives the script its {@code katapult { }} block.
 * (The map form needs nothing from it: {@code config = [...]} lands in the script's binding.)
 */
public abstract class KatapultScript extends Script {

    private DslContext katapultContext;

    static void attach(KatapultScript script, DslContext context) {
        script.katapultContext = context;
        context.script = script;
    }

    /** The whole configuration, in the block form. Written once per file. */
    public void katapult(@DelegatesTo(value = BlockDelegate.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        DslContext ctx = katapultContext;
        int line = ctx.line();
        if (ctx.katapultLine > 0) {
            ctx.problem(line, "a file holds one katapult { } block; the first is at line " + ctx.katapultLine
                    + ": move this content into it");
            return;
        }
        ctx.katapultLine = Math.max(1, line);
        ctx.run(body, new BlockDelegate(new Recorder(ctx, Block.CONFIG, ctx.root)));
    }

    /**
     * {@code cpus = 2} in a closure written outside the blocks but called inside one sets the key of
     * the block running; anything else is an ordinary variable of the script.
     */
    @Override
    public void setProperty(String property, Object newValue) {
        DslContext ctx = katapultContext;
        if (ctx != null && !ctx.blocks.isEmpty() && !getBinding().hasVariable(property)) {
            Object block = ctx.blocks.peek();
            if (block instanceof BlockDelegate delegate && delegate.accepts(property)) {
                delegate.methodMissing(property, new Object[] {newValue});
                return;
            }
        }
        super.setProperty(property, newValue);
    }

    /** A call at the top level that is no method: a key outside its block, or a typo of {@code katapult}. */
    public Object methodMissing(String name, Object args) {
        if (getBinding().hasVariable(name) && getBinding().getVariable(name) instanceof Closure<?> c) {
            return c.call(args instanceof Object[] a ? a : new Object[] {args});
        }
        DslContext ctx = katapultContext;
        if (ctx == null) {
            throw new MissingMethodException(name, getClass(), args instanceof Object[] a ? a : new Object[] {args});
        }
        if (!ctx.blocks.isEmpty()) {
            // a closure written outside the blocks (a shared piece of config) called inside one
            return InvokerHelper.invokeMethod(ctx.blocks.peek(), name, args);
        }
        int line = ctx.line();
        for (Block b : Block.values()) {
            if (ConfigKeys.findSpelled(b, name, ConfigForm.BLOCK).isPresent()) {
                ctx.problem(line, "'" + name + "' must be written inside "
                        + (b == Block.CONFIG ? "the katapult { } block" : b.word() + " { } in the katapult { } block"));
                return null;
            }
        }
        String hint = DidYouMean.hint(name, List.of("katapult"));
        ctx.problem(line, "unknown command '" + name + "'" + (hint.isEmpty()
                ? ": a config file holds katapult { ... } or config = [ ... ]" : hint));
        return null;
    }
}
