package katapult.dsl;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
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
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.CatchStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.ast.stmt.SynchronizedStatement;
import org.codehaus.groovy.classgen.BytecodeExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.runtime.DefaultGroovyMethods;
import org.codehaus.groovy.runtime.DefaultGroovyStaticMethods;
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
     * The script's own properties: a variable of that name declared in one scope would let the script read them in
     * another, where the name is the script's.
     */
    private static final Set<String> SCRIPT_PROPERTIES = Set.of("binding", "metaClass", "class", "properties", "out",
            "args");

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
        if (!module.getStarImports().isEmpty() || !module.getStaticImports().isEmpty()
                || !module.getStaticStarImports().isEmpty()) {
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
        if (module.getPackage() != null) {
            return false;
        }
        Names names = new Names();
        module.getStatementBlock().visit(names);
        for (MethodNode method : module.getMethods()) {
            if (!method.getAnnotations().isEmpty() || method.getCode() == null) {
                return false;
            }
            names.methods.add(method.getName());
            names.declare(method.getParameters());
            method.getCode().visit(names);
        }
        // a name the script gives may be read, or called, where it is not in scope: there it must not be the script's
        Set<String> reserved = ScriptMethods.NAMES;
        if (names.variables.stream().anyMatch(n -> SCRIPT_PROPERTIES.contains(n) || reserved.contains(n))
                || names.methods.stream().anyMatch(reserved::contains)) {
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

    /**
     * The methods a call without a receiver may reach on the script whatever it declares: the script's own (its base
     * class's: {@code evaluate}, {@code run}, {@code println}...) and Groovy's on any object ({@code sleep},
     * {@code with}, {@code use}...).
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

    /** Every name the script declares or assigns, anywhere, and its methods: what a pure script may read or call. */
    private static final class Names extends CodeVisitorSupport {
        final Set<String> variables = new HashSet<>(Set.of("it"));
        final Set<String> methods = new HashSet<>();

        void declare(Parameter[] parameters) {
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
    }

    /** Walks the tree; any node not of a pure kind clears {@link #pure}. */
    private static final class Judge extends CodeVisitorSupport {
        private final Names names;
        boolean pure = true;

        Judge(Names names) {
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
                if (!language(name) && !names.methods.contains(name) && !names.variables.contains(name)) {
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
                    && !names.variables.contains(v.getName());
        }

        @Override
        public void visitVariableExpression(VariableExpression expression) {
            String name = expression.getName();
            if (expression.isThisExpression() || expression.isSuperExpression()
                    || !names.variables.contains(name) && !name.equals("delegate")) {
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
