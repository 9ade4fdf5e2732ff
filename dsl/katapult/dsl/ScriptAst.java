package katapult.dsl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.Token;
import org.codehaus.groovy.syntax.Types;

/**
 * What the config script's syntax tree tells about lines, read while it compiles (at CONVERSION):
 * the line of every entry of the {@code config = [...]} map literal, by key path
 * ({@code jobs[1].run_script}, list indexes from 0); where variables are assigned and used; and keys
 * written twice in one map literal. Also turns a top-level {@code def config = [...]} into
 * {@code config = [...]}, so that the map lands in the binding.
 */
final class ScriptAst extends CompilationCustomizer {

    final Map<String, Integer> lines = new HashMap<>();
    /** Line and message of each key written twice in one map literal. */
    final List<Map.Entry<Integer, String>> duplicates = new ArrayList<>();
    /** Variable name → the first line it is assigned on. */
    final Map<String, Integer> assignments = new HashMap<>();
    /** Variable name → the lines it is read on (not those it is assigned on). */
    final Map<String, List<Integer>> variables = new HashMap<>();
    /** Method name → the lines it is called on. */
    final Map<String, List<Integer>> methodCalls = new HashMap<>();
    /** The line of {@code config = ...}, 0 when there is none. */
    int configLine;
    private boolean done;

    ScriptAst() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (done) {
            return;
        }
        done = true;
        ModuleNode module = source.getAST();
        for (Statement st : module.getStatementBlock().getStatements()) {
            if (st instanceof ExpressionStatement es && es.getExpression() instanceof DeclarationExpression de
                    && !de.isMultipleAssignmentDeclaration()
                    && de.getVariableExpression().getName().equals("config")) {
                BinaryExpression assign = new BinaryExpression(new VariableExpression("config"),
                        Token.newSymbol(Types.ASSIGN, de.getLineNumber(), de.getColumnNumber()), de.getRightExpression());
                assign.setSourcePosition(de);
                es.setExpression(assign);
            }
        }
        Visitor v = new Visitor();
        module.getStatementBlock().visit(v);
        for (MethodNode m : module.getMethods()) {
            if (m.getCode() != null) {
                m.getCode().visit(v);
            }
        }
        for (ClassNode c : module.getClasses()) {
            for (MethodNode m : c.getMethods()) {
                if (m.getCode() != null && !m.getName().equals("run")) {
                    m.getCode().visit(v);
                }
            }
        }
    }

    /** The line of a key path, or of the nearest enclosing entry that has one; at least 1. */
    int line(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer l = lines.get(p);
            if (l != null && l > 0) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return Math.max(1, configLine);
    }

    /** The first line at or after {@code from} where {@code name} is read (or called); {@code from} if none. */
    int refine(int from, String name, boolean method) {
        List<Integer> at = (method ? methodCalls : variables).getOrDefault(name, List.of());
        int best = Integer.MAX_VALUE;
        for (int l : at) {
            if (l >= from && l < best) {
                best = l;
            }
        }
        if (best == Integer.MAX_VALUE && from <= 0 && !at.isEmpty()) {
            best = at.get(0);
        }
        return best == Integer.MAX_VALUE ? from : best;
    }

    private void index(String path, Expression value) {
        if (value instanceof MapExpression map) {
            lines.putIfAbsent(path, map.getLineNumber());
            Map<String, Integer> seen = new HashMap<>();
            for (MapEntryExpression e : map.getMapEntryExpressions()) {
                if (!(e.getKeyExpression() instanceof ConstantExpression ce) || ce.getValue() == null) {
                    continue;
                }
                String key = ce.getValue().toString();
                String p = path.isEmpty() ? key : path + "." + key;
                int line = e.getLineNumber() > 0 ? e.getLineNumber() : ce.getLineNumber();
                Integer first = seen.putIfAbsent(key, line);
                if (first != null) {
                    duplicates.add(Map.entry(line, "'" + key + "' is written twice in this map (first at line " + first
                            + "); only the last one would count"));
                }
                lines.put(p, line);
                index(p, e.getValueExpression());
            }
        } else if (value instanceof ListExpression list) {
            List<Expression> items = list.getExpressions();
            for (int i = 0; i < items.size(); i++) {
                String p = path + "[" + i + "]";
                lines.put(p, items.get(i).getLineNumber());
                index(p, items.get(i));
            }
        }
    }

    private final class Visitor extends CodeVisitorSupport {

        @Override
        public void visitBinaryExpression(BinaryExpression expression) {
            if (expression.getOperation().getType() == Types.ASSIGN
                    && expression.getLeftExpression() instanceof VariableExpression left) {
                String name = left.getName();
                assignments.putIfAbsent(name, expression.getLineNumber());
                if (name.equals("config") && configLine == 0 && !(expression instanceof DeclarationExpression)) {
                    configLine = expression.getLineNumber();
                    lines.put("", configLine);
                    index("", expression.getRightExpression());
                }
                // the variable assigned is not read here: only the value is visited
                expression.getRightExpression().visit(this);
                return;
            }
            super.visitBinaryExpression(expression);
        }

        @Override
        public void visitVariableExpression(VariableExpression expression) {
            variables.computeIfAbsent(expression.getName(), k -> new ArrayList<>()).add(expression.getLineNumber());
            super.visitVariableExpression(expression);
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            String name = call.getMethodAsString();
            if (name != null) {
                methodCalls.computeIfAbsent(name, k -> new ArrayList<>()).add(call.getLineNumber());
            }
            super.visitMethodCallExpression(call);
        }
    }
}
