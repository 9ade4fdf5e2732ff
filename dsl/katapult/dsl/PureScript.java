package katapult.dsl;

import java.util.Map;
import java.util.Set;

import katapult.config.ConfigForm;
import katapult.config.ConfigKeys;
import katapult.config.ConfigKeys.Block;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ArrayExpression;
import org.codehaus.groovy.ast.expr.AttributeExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.FieldExpression;
import org.codehaus.groovy.ast.expr.LambdaExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.MethodReferenceExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.ast.stmt.SynchronizedStatement;
import org.codehaus.groovy.classgen.BytecodeExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.Types;

/**
 * Whether a config script's result is a function of its text alone, judged on its syntax tree (at CONVERSION,
 * before any of it runs): then what it records ({@link ConfigCache}) may be reused for the same text without
 * running it again.
 *
 * <p>The judgment only ever errs on the side of "not pure": a script is pure when every node of its tree is a kind
 * listed here. Literals, lists, maps, ranges, strings with placeholders, arithmetic, loops, conditions, closures and
 * methods of the script are; the keys of the language, the script's own methods and closures are the only calls
 * without a receiver; calls on values are limited to a list of methods that compute (collect, join, plus...); the
 * only class names are a few that compute (Duration, Math...). What could read the world (a class such as System
 * or File, a constructor, an annotation such as {@code @Grab}, printing, {@code evaluate}, a variable the script
 * never set) makes the script impure, and it runs every time, as before.
 */
final class PureScript extends CompilationCustomizer {

    /** Methods called on a value that only compute from it (Groovy's and Java's, on strings, numbers, collections). */
    private static final Set<String> VALUE_METHODS = Set.of("abs", "add", "addAll", "any", "asList", "call", "capitalize",
            "ceil", "collate", "collect", "collectEntries", "collectMany", "combinations", "compareTo", "contains",
            "containsKey", "containsValue", "count", "countBy", "curry", "div", "downto", "drop", "dropWhile", "each",
            "eachWithIndex", "endsWith", "entrySet", "equals", "every", "find", "findAll", "findIndexOf", "findResult",
            "findResults", "first", "flatten", "floor", "get", "getAt", "getOrDefault", "groupBy", "hashCode", "head",
            "indexed", "indexOf", "init", "inject", "intdiv", "isEmpty", "isInteger", "isNumber", "join", "keySet",
            "last", "leftShift", "length", "max", "min", "minus", "mod", "multiply", "ofDays", "ofHours", "ofMillis",
            "ofMinutes", "ofSeconds", "padLeft", "padRight", "parse", "parseDouble", "parseInt", "parseLong",
            "permutations", "plus", "pow", "power", "put", "putAll", "putAt", "rcurry", "remove", "replace",
            "replaceAll", "replaceFirst", "reverse", "round", "size", "sort", "split", "sqrt", "startsWith", "step",
            "subList", "subsequences", "substring", "sum", "tail", "take", "takeWhile", "times", "toBigDecimal",
            "toBigInteger", "toDouble", "toInteger", "toList", "toLong", "toLowerCase", "toMinutes", "toSeconds",
            "toSet", "toSorted", "toString", "toUpperCase", "tokenize", "transpose", "trim", "unique", "upto",
            "valueOf", "withIndex");

    /**
     * Class names a pure script may call methods on: they only compute (their methods above, none that reads the
     * world). Only as the receiver of a call: the class itself, kept or looked into, would tell of the JVM.
     */
    private static final Set<String> CLASSES = Set.of("Duration", "Math", "Integer", "Long", "Double", "BigDecimal",
            "BigInteger", "String", "Boolean");

    /** The imports a pure script may have, by the name they give: the one the loader adds, and those Groovy has. */
    private static final Map<String, String> IMPORTS = Map.of("Duration", "java.time.Duration",
            "BigDecimal", "java.math.BigDecimal", "BigInteger", "java.math.BigInteger");

    /** Types a value may be cast to with {@code as}: a cast to File or URL would make one. */
    private static final Set<String> CASTS = Set.of("int", "long", "double", "float", "boolean", "short", "byte",
            "Integer", "Long", "Double", "Float", "Boolean", "BigDecimal", "BigInteger", "String", "List", "Map",
            "Set", "ArrayList", "LinkedHashMap", "java.lang.Object");

    /** Properties that lead from a value to its class, its script or its block, and from there to the world. */
    private static final Set<String> HIDDEN_PROPERTIES = Set.of("class", "metaClass", "owner", "thisObject",
            "delegate", "binding", "properties", "declaringClass", "classLoader", "theClass", "protectionDomain",
            "codeSource", "package", "module");

    /**
     * A closure's block, script and closure: a pure script may hand its block to a shared closure
     * ({@code common.delegate = delegate}), but never look into them.
     */
    private static final Set<String> CLOSURE_CONTEXT = Set.of("delegate", "owner", "thisObject");

    private static final String BASE_SCRIPT = "groovy.transform.BaseScript";

    private boolean pure;
    private boolean judged;

    PureScript() {
        super(CompilePhase.CONVERSION);
    }

    /** Whether the script compiled and was judged pure. */
    boolean pure() {
        return judged && pure;
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (judged) {
            return;
        }
        judged = true;
        pure = judge(source.getAST());
    }

    private static boolean judge(ModuleNode module) {
        if (!outlinePure(module)) {
            return false;
        }
        ScriptNames names = ScriptNames.of(module);
        if (names.shadowScript()) {
            return false;
        }
        Judge judge = new Judge(names);
        module.getStatementBlock().visit(judge);
        for (MethodNode method : module.getMethods()) {
            judge.defaults(method.getParameters());
            method.getCode().visit(judge);
        }
        return judge.pure;
    }

    /** What the script is made of besides its code: no import but the few allowed, no class, package or annotation. */
    private static boolean outlinePure(ModuleNode module) {
        if (!module.getStarImports().isEmpty() || !module.getStaticImports().isEmpty()
                || !module.getStaticStarImports().isEmpty() || module.getPackage() != null) {
            return false;
        }
        for (ImportNode imported : module.getImports()) {
            if (!imported.getAnnotations().isEmpty()
                    || !imported.getClassName().equals(IMPORTS.get(imported.getAlias()))) {
                return false;
            }
        }
        ClassNode script = module.getScriptClassDummy();
        if (module.getClasses().size() != 1 || script == null) {
            return false; // a class written in the script
        }
        // the loader's base class comes as @BaseScript; a user's annotations sit on declarations, checked below
        if (!script.getAnnotations().stream().allMatch(a -> a.getClassNode().getName().equals(BASE_SCRIPT))) {
            return false;
        }
        return module.getMethods().stream().allMatch(m -> m.getAnnotations().isEmpty() && m.getCode() != null);
    }

    /** Walks the tree; any node not of a pure kind clears {@link #pure}. */
    private static final class Judge extends CodeVisitorSupport {
        private final ScriptNames names;
        boolean pure = true;

        Judge(ScriptNames names) {
            this.names = names;
        }

        private void impure() {
            pure = false;
        }

        /** The default values of parameters are expressions too. */
        void defaults(Parameter[] parameters) {
            if (parameters != null) {
                for (Parameter p : parameters) {
                    annotated(p);
                    if (p.hasInitialExpression()) {
                        p.getInitialExpression().visit(this);
                    }
                }
            }
        }

        private void annotated(ASTNode node) {
            if (node instanceof AnnotatedNode a && !a.getAnnotations().isEmpty()) {
                impure();
            }
        }

        @Override
        public void visitBlockStatement(BlockStatement block) {
            if (pure) {
                super.visitBlockStatement(block);
            }
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            String name = call.getMethodAsString();
            if (name == null) {
                impure(); // a method named by an expression
                return;
            }
            if (call.isImplicitThis()) {
                if (!language(name) && !names.definesMethod(name) && !names.declares(name)) {
                    impure();
                    return;
                }
            } else {
                if (!VALUE_METHODS.contains(name)) {
                    impure();
                    return;
                }
                if (!isClassName(call.getObjectExpression())) {
                    call.getObjectExpression().visit(this);
                }
            }
            call.getArguments().visit(this);
        }

        /** A key or block of the language, in the block form's spelling ({@code katapult}, {@code job}, {@code runCommand}). */
        private static boolean language(String name) {
            if (name.equals("katapult")) {
                return true;
            }
            for (Block block : Block.values()) {
                if (ConfigKeys.findSpelled(block, name, ConfigForm.BLOCK).isPresent()) {
                    return true;
                }
            }
            return false;
        }

        /** {@code Math} in {@code Math.max(a, b)}: a class the script does not shadow with a name of its own. */
        private boolean isClassName(Expression receiver) {
            return receiver instanceof VariableExpression v && CLASSES.contains(v.getName())
                    && !names.declares(v.getName());
        }

        @Override
        public void visitVariableExpression(VariableExpression expression) {
            String name = expression.getName();
            if (expression.isThisExpression() || expression.isSuperExpression()
                    || !names.declares(name) && !name.equals("delegate")) {
                impure();
            }
        }

        @Override
        public void visitDeclarationExpression(DeclarationExpression expression) {
            annotated(expression);
            super.visitDeclarationExpression(expression);
        }

        @Override
        public void visitBinaryExpression(BinaryExpression expression) {
            if (expression.getOperation().getType() == Types.ASSIGN
                    && expression.getLeftExpression() instanceof VariableExpression) {
                expression.getRightExpression().visit(this); // a write: the name is not read
                return;
            }
            if (expression.getOperation().getType() == Types.ASSIGN
                    && expression.getLeftExpression() instanceof PropertyExpression property
                    && !(property.getObjectExpression() instanceof VariableExpression v && v.isThisExpression())
                    && !"metaClass".equals(property.getPropertyAsString())) {
                property.getObjectExpression().visit(this); // a property written (a closure's delegate): not read
                expression.getRightExpression().visit(this);
                return;
            }
            super.visitBinaryExpression(expression);
        }

        @Override
        public void visitPropertyExpression(PropertyExpression expression) {
            String name = expression.getPropertyAsString();
            if (name == null || HIDDEN_PROPERTIES.contains(name)) {
                impure();
                return;
            }
            if (expression.isImplicitThis() || expression.getObjectExpression() instanceof VariableExpression v
                    && CLOSURE_CONTEXT.contains(v.getName())) {
                impure();
                return;
            }
            expression.getObjectExpression().visit(this);
        }

        @Override
        public void visitCastExpression(CastExpression expression) {
            if (!CASTS.contains(expression.getType().getName())
                    && !CASTS.contains(expression.getType().getNameWithoutPackage())) {
                impure();
                return;
            }
            super.visitCastExpression(expression);
        }

        @Override
        public void visitClosureExpression(ClosureExpression expression) {
            defaults(expression.getParameters());
            if (expression.getCode() != null) {
                expression.getCode().visit(this);
            }
        }

        @Override
        public void visitLambdaExpression(LambdaExpression expression) {
            visitClosureExpression(expression);
        }

        @Override
        public void visitForLoop(ForStatement loop) {
            loop.getCollectionExpression().visit(this);
            loop.getLoopBlock().visit(this);
        }

        // what could reach outside the script's own values

        @Override
        public void visitConstructorCallExpression(ConstructorCallExpression call) {
            impure();
        }

        @Override
        public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
            impure();
        }

        @Override
        public void visitClassExpression(ClassExpression expression) {
            impure();
        }

        @Override
        public void visitMethodPointerExpression(MethodPointerExpression expression) {
            impure();
        }

        @Override
        public void visitMethodReferenceExpression(MethodReferenceExpression expression) {
            impure();
        }

        @Override
        public void visitAttributeExpression(AttributeExpression expression) {
            impure();
        }

        @Override
        public void visitFieldExpression(FieldExpression expression) {
            impure();
        }

        @Override
        public void visitArrayExpression(ArrayExpression expression) {
            impure();
        }

        @Override
        public void visitSynchronizedStatement(SynchronizedStatement statement) {
            impure();
        }

        @Override
        public void visitBytecodeExpression(BytecodeExpression expression) {
            impure();
        }
    }
}
