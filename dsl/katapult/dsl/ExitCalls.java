package katapult.dsl;

import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Refuses, while the config compiles, the calls that would end the JVM ({@code System.exit}, {@code Runtime.exit},
 * {@code Runtime.halt}): {@code check} would end with exit code 0 and nothing printed, {@code run} in the middle of a
 * session. Each is an error at its line. It reads the names as written, once Groovy has resolved the classes; a config
 * that reaches them by reflection is not stopped: a config file is code, run with the user's rights.
 */
final class ExitCalls extends CompilationCustomizer {

    private static final Set<String> SYSTEM = Set.of("exit");
    private static final Set<String> RUNTIME = Set.of("exit", "halt");

    /** A refused call: reported as it is, not as a syntax error. */
    static final class Refused extends SyntaxException {
        Refused(String message, ASTNode node) {
            super(message, node);
        }
    }

    ExitCalls() {
        super(CompilePhase.CANONICALIZATION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new Visitor(source).visitClass(classNode);
    }

    /** "System.exit" or "Runtime.halt" when {@code receiver.method} ends the JVM, else null. */
    private static String refused(Expression receiver, String method) {
        if (method == null) {
            return null;
        }
        if (isClass(receiver, ClassHelper.make(System.class)) && SYSTEM.contains(method)) {
            return "System." + method;
        }
        if (RUNTIME.contains(method) && isRuntime(receiver)) {
            return "Runtime." + method;
        }
        return null;
    }

    private static boolean isClass(Expression e, ClassNode type) {
        return e instanceof ClassExpression ce && ce.getType().getName().equals(type.getName());
    }

    /** {@code Runtime.getRuntime()} or {@code Runtime.runtime}. */
    private static boolean isRuntime(Expression e) {
        ClassNode runtime = ClassHelper.make(Runtime.class);
        if (e instanceof MethodCallExpression call) {
            return isClass(call.getObjectExpression(), runtime) && "getRuntime".equals(call.getMethodAsString());
        }
        if (e instanceof StaticMethodCallExpression call) {
            return call.getOwnerType().getName().equals(runtime.getName()) && "getRuntime".equals(call.getMethod());
        }
        return e instanceof PropertyExpression p && isClass(p.getObjectExpression(), runtime)
                && "runtime".equals(p.getPropertyAsString());
    }

    private static final class Visitor extends ClassCodeVisitorSupport {

        private final SourceUnit source;

        Visitor(SourceUnit source) {
            this.source = source;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            refuse(refused(call.getObjectExpression(), call.getMethodAsString()), call);
            super.visitMethodCallExpression(call);
        }

        @Override
        public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
            refuse(refused(new ClassExpression(call.getOwnerType()), call.getMethod()), call);
            super.visitStaticMethodCallExpression(call);
        }

        @Override
        public void visitMethodPointerExpression(MethodPointerExpression pointer) {
            refuse(refused(pointer.getExpression(), pointer.getMethodName().getText()), pointer);
            super.visitMethodPointerExpression(pointer);
        }

        private void refuse(String call, ASTNode node) {
            if (call != null) {
                source.addError(new Refused("a config may not end the JVM (" + call + "): it is refused before it runs",
                        node));
            }
        }
    }
}
