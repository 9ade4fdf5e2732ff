package katapult.dsl;

import groovy.lang.Closure;
import groovy.lang.Script;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import katapult.config.Problem;
import katapult.config.RawMap;

/** The state of one config script while it runs: where it is, what it built, what went wrong. */
final class DslContext {

    /** The script's source file name, as the compiler recorded it in every stack frame of the script. */
    final String scriptName;
    /** The config file as the caller named it, for {@link Problem#file()}. */
    final String file;
    final List<Problem> problems = new ArrayList<>();
    /** The block form's content, filled by the {@code katapult} block. */
    final RawMap root = new RawMap(0);
    /** The line of the first {@code katapult} block, 0 while there is none. */
    int katapultLine;
    Script script;
    /** The delegates of the blocks running now, innermost first. */
    final Deque<Object> blocks = new ArrayDeque<>();

    DslContext(String scriptName, String file) {
        this.scriptName = scriptName;
        this.file = file;
    }

    /** The line of the config script being run right now: the innermost stack frame of the script. */
    int line() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> scriptName.equals(f.getFileName()) && f.getLineNumber() > 0)
                .findFirst()
                .map(StackWalker.StackFrame::getLineNumber)
                .orElse(0));
    }

    void problem(int line, String message) {
        problems.add(new Problem(file, line, message));
    }

    /** Runs a block's closure against its delegate. A copy is used, so one closure may serve several blocks. */
    void run(Closure<?> body, Object delegate) {
        Closure<?> c = (Closure<?>) body.clone();
        c.setDelegate(delegate);
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        blocks.push(delegate);
        try {
            if (c.getMaximumNumberOfParameters() == 0) {
                c.call();
            } else {
                c.call(delegate);
            }
        } finally {
            blocks.pop();
        }
    }
}
