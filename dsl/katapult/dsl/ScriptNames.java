package katapult.dsl;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.CatchStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.runtime.DefaultGroovyMethods;
import org.codehaus.groovy.runtime.DefaultGroovyStaticMethods;
import org.codehaus.groovy.syntax.Types;

/**
 * Every name a config script gives, anywhere (its variables, parameters and assignments, and its methods): what
 * {@link PureScript} lets it read or call. Scopes are not told apart, so a name given in one place counts in all.
 */
final class ScriptNames extends CodeVisitorSupport {

    /**
     * The script's own properties: a variable of that name declared in one scope would let the script read them in
     * another, where the name is the script's.
     */
    private static final Set<String> SCRIPT_PROPERTIES = Set.of("binding", "metaClass", "class", "properties", "out",
            "args");

    private final Set<String> variables = new HashSet<>(Set.of("it"));
    private final Set<String> methods = new HashSet<>();

    private ScriptNames() {
    }

    /** The names given in the script's statements and in its methods. */
    static ScriptNames of(ModuleNode module) {
        ScriptNames names = new ScriptNames();
        module.getStatementBlock().visit(names);
        for (MethodNode method : module.getMethods()) {
            names.methods.add(method.getName());
            names.declare(method.getParameters());
            if (method.getCode() != null) {
                method.getCode().visit(names);
            }
        }
        return names;
    }

    boolean declares(String name) {
        return variables.contains(name);
    }

    boolean definesMethod(String name) {
        return methods.contains(name);
    }

    /**
     * Whether a name the script gives is also the script's own: given where it is in scope, it would be read or
     * called where it is not, and be the script's there ({@code evaluate}, {@code binding}, {@code sleep}).
     */
    boolean shadowScript() {
        Set<String> reserved = ScriptMethods.NAMES;
        return variables.stream().anyMatch(n -> SCRIPT_PROPERTIES.contains(n) || reserved.contains(n))
                || methods.stream().anyMatch(reserved::contains);
    }

    private void declare(Parameter[] parameters) {
        if (parameters != null) {
            for (Parameter p : parameters) {
                variables.add(p.getName());
            }
        }
    }

    @Override
    public void visitDeclarationExpression(DeclarationExpression expression) {
        Expression left = expression.getLeftExpression();
        if (left instanceof VariableExpression v) {
            variables.add(v.getName());
        } else if (left instanceof TupleExpression tuple) {
            tuple.getExpressions().forEach(e -> variables.add(e.getText()));
        }
        super.visitDeclarationExpression(expression);
    }

    @Override
    public void visitBinaryExpression(BinaryExpression expression) {
        if (expression.getOperation().getType() == Types.ASSIGN
                && expression.getLeftExpression() instanceof VariableExpression v) {
            variables.add(v.getName());
        }
        super.visitBinaryExpression(expression);
    }

    @Override
    public void visitClosureExpression(ClosureExpression expression) {
        declare(expression.getParameters());
        super.visitClosureExpression(expression);
    }

    @Override
    public void visitForLoop(ForStatement loop) {
        variables.add(loop.getVariable().getName());
        super.visitForLoop(loop);
    }

    @Override
    public void visitCatchStatement(CatchStatement statement) {
        variables.add(statement.getVariable().getName());
        super.visitCatchStatement(statement);
    }

    /**
     * The methods a call without a receiver may reach on the script whatever it declares: the script's own (its base
     * class's: {@code evaluate}, {@code run}, {@code println}...) and Groovy's on any object ({@code sleep},
     * {@code with}, {@code use}...). Told once per JVM, by reflection.
     */
    private static final class ScriptMethods {
        static final Set<String> NAMES = names();

        private static Set<String> names() {
            Set<String> names = new HashSet<>();
            for (Method m : KatapultScript.class.getMethods()) {
                names.add(m.getName());
            }
            for (Class<?> extensions : List.of(DefaultGroovyMethods.class, DefaultGroovyStaticMethods.class)) {
                for (Method m : extensions.getMethods()) {
                    Class<?>[] types = m.getParameterTypes();
                    if (Modifier.isStatic(m.getModifiers()) && types.length > 0
                            && types[0].isAssignableFrom(KatapultScript.class)) {
                        names.add(m.getName());
                    }
                }
            }
            names.remove("katapult");
            return Set.copyOf(names);
        }
    }
}
