package katapult.repl;

import java.util.List;

import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.EmptyExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.Token;
import org.codehaus.groovy.syntax.Types;

/**
 * At the prompt, {@code def x = 1} (or {@code int x = 1}) written at the top level of a line becomes {@code x = 1}:
 * a variable of the shared binding, seen by the lines after it, instead of a local of that line's script.
 * Also tells whether a line only defines things (methods, imports, classes), so the REPL can keep it.
 */
final class BindDeclarations extends CompilationCustomizer {

    /** Set for the last line compiled: it had no statement, only definitions. */
    boolean definitionsOnly;

    BindDeclarations() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            return;
        }
        MethodNode run = classNode.getMethod("run", Parameter.EMPTY_ARRAY);
        if (run == null || !(run.getCode() instanceof BlockStatement block)) {
            return;
        }
        List<Statement> statements = block.getStatements();
        definitionsOnly = statements.isEmpty();
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i) instanceof ExpressionStatement statement
                    && statement.getExpression() instanceof DeclarationExpression declaration
                    && !declaration.isMultipleAssignmentDeclaration()) {
                VariableExpression variable = declaration.getVariableExpression();
                Expression value = declaration.getRightExpression();
                if (value instanceof EmptyExpression) {
                    value = ConstantExpression.NULL;
                }
                Token assign = Token.newSymbol(Types.ASSIGN, declaration.getOperation().getStartLine(),
                        declaration.getOperation().getStartColumn());
                BinaryExpression binding = new BinaryExpression(new VariableExpression(variable.getName()), assign, value);
                binding.setSourcePosition(declaration);
                ExpressionStatement replaced = new ExpressionStatement(binding);
                replaced.setSourcePosition(statement);
                statements.set(i, replaced);
            }
        }
    }
}
