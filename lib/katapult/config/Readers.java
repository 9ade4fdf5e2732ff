package katapult.config;

import groovy.lang.Closure;
import groovy.time.BaseDuration;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The value types of the key table: each converts a value as written and words the message when it does not fit. */
public final class Readers {

    private Readers() {
    }

    public static ValueType<String> string() {
        return new ValueType<>(false, (v, spelled, out) -> {
            if (v.value() instanceof CharSequence cs) {
                return cs.toString();
            }
            return wrong(v, spelled, "a string", out);
        });
    }

    public static ValueType<Boolean> bool() {
        return new ValueType<>(false, (v, spelled, out) -> v.value() instanceof Boolean b ? b
                : wrong(v, spelled, "true or false", out));
    }

    /** A whole number ≥ {@code min}. */
    public static ValueType<Integer> whole(int min) {
        return whole(min, Integer.MAX_VALUE, "a whole number ≥ " + min);
    }

    /** A whole number from {@code min} to {@code max}, described as {@code what} when it is not. */
    public static ValueType<Integer> whole(int min, int max, String what) {
        return new ValueType<>(false, (v, spelled, out) -> {
            Long n = wholeValue(v.value());
            return n == null || n < min || n > max ? wrong(v, spelled, what, out) : Integer.valueOf(n.intValue());
        });
    }

    /** A finite number > 0, described as {@code what} when it is not. */
    public static ValueType<Double> positive(String what) {
        return new ValueType<>(false, (v, spelled, out) -> {
            if (v.value() instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
                return n.doubleValue();
            }
            return wrong(v, spelled, what, out);
        });
    }

    /** One of the constants of {@code type}, written in lower case ({@code '-'} for {@code '_'} allowed). */
    public static <E extends Enum<E>> ValueType<E> choice(Class<E> type) {
        return choice(type, Map.of());
    }

    /**
     * {@link #choice(Class)} where some words that are not choices (a value an older version or another tool took)
     * get their own explanation instead of the list.
     */
    public static <E extends Enum<E>> ValueType<E> choice(Class<E> type, Map<String, String> refused) {
        return new ValueType<>(false, (v, spelled, out) -> {
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                allowed.add(lower(e));
            }
            if (!(v.value() instanceof CharSequence cs)) {
                return wrong(v, spelled, "one of " + allowed.stream().map(a -> "'" + a + "'")
                        .collect(Collectors.joining(", ")), out);
            }
            String s = cs.toString().trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (lower(e).equals(s)) {
                    return e;
                }
            }
            if (refused.containsKey(s)) {
                out.problem(v.line(), "'" + spelled + "' '" + cs + "' is not supported: " + refused.get(s));
                return null;
            }
            out.problem(v.line(), "'" + spelled + "' must be one of " + String.join(", ", allowed) + "; got '" + cs
                    + "'" + DidYouMean.hint(cs.toString(), allowed));
            return null;
        });
    }

    /** A duration longer than zero: {@code '90m'}, a {@link Duration} or a Groovy {@code TimeDuration}. */
    public static ValueType<Duration> duration() {
        return new ValueType<>(false, Readers::duration);
    }

    /** A duration longer than zero, or {@code 'off'}, read as {@link Duration#ZERO}. */
    public static ValueType<Duration> durationOrOff() {
        return new ValueType<>(false, (v, spelled, out) -> v.value() instanceof CharSequence cs
                && cs.toString().trim().equalsIgnoreCase("off") ? Duration.ZERO : duration(v, spelled, out));
    }

    private static Duration duration(Located v, String spelled, ProblemSink out) {
        Object o = v.value();
        String unitHelp = "write it with a unit: '45s', '90m', '2h', '1d' or '1h30m'";
        Duration d;
        if (o instanceof Duration x) {
            d = x;
        } else if (o instanceof BaseDuration x) {
            d = Duration.ofMillis(x.toMilliseconds());
        } else if (o instanceof Number) {
            out.problem(v.line(), "'" + spelled + "' needs a unit, got " + show(o) + "; " + unitHelp);
            return null;
        } else if (o instanceof CharSequence cs) {
            d = Durations.parse(cs.toString());
            if (d == null) {
                String s = cs.toString().trim();
                out.problem(v.line(), "'" + spelled + "' " + (s.matches("\\d+") ? "needs a unit" : "is not a duration")
                        + ", got '" + cs + "'; " + unitHelp);
                return null;
            }
        } else {
            return wrong(v, spelled, "a duration such as '90m' or '2h'", out);
        }
        if (d.isNegative() || d.isZero()) {
            out.problem(v.line(), "'" + spelled + "' must be longer than zero, got " + show(o));
            return null;
        }
        return d;
    }

    /** A string or a list of strings, trimmed, blanks dropped. The block form's method takes several values. */
    public static ValueType<List<String>> words() {
        return new ValueType<>(true, (v, spelled, out) -> {
            List<String> words = new ArrayList<>();
            for (Located item : items(v, spelled, out)) {
                String s = item.value().toString().trim();
                if (!s.isEmpty()) {
                    words.add(s);
                }
            }
            return words;
        });
    }

    /**
     * A value the binder reads itself, as it checks it against files or other keys.
     *
     * @param several whether the block form's method takes several values
     */
    public static ValueType<Object> raw(boolean several) {
        return new ValueType<>(several, (v, spelled, out) -> v.value());
    }

    /** A list of {@code block} entries: a repeated block in the block form, a list of maps in the map form. */
    public static ValueType<Object> entries(ConfigKeys.Block block) {
        return new ValueType<>(false, block, (v, spelled, out) -> v.value());
    }

    /** The items of a string or a list of strings, each with its line; anything else is reported. */
    @SuppressWarnings("unchecked")
    public static List<Located> items(Located v, String spelled, ProblemSink out) {
        if (v.value() instanceof CharSequence cs) {
            return List.of(new Located(cs.toString(), v.line()));
        }
        if (v.value() instanceof List) {
            List<Located> items = new ArrayList<>();
            for (Located item : (List<Located>) v.value()) {
                if (item.value() instanceof CharSequence cs) {
                    items.add(new Located(cs.toString(), item.line()));
                } else if (item.value() != null) {
                    out.problem(item.line(), "'" + spelled + "' must hold strings, got " + show(item.value()));
                }
            }
            return items;
        }
        out.problem(v.line(), "'" + spelled + "' must be a string or a list of strings, got " + show(v.value()));
        return List.of();
    }

    private static <T> T wrong(Located v, String spelled, String expected, ProblemSink out) {
        out.problem(v.line(), "'" + spelled + "' must be " + expected + ", got " + show(v.value()));
        return null;
    }

    /** A whole number as a long, or null when {@code o} is not one. */
    static Long wholeValue(Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger bi) {
            return bi.bitLength() < 63 ? bi.longValue() : null;
        }
        if (o instanceof BigDecimal bd) {
            try {
                return bd.stripTrailingZeros().scale() <= 0 ? bd.longValueExact() : null;
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
        }
        return null;
    }

    /** A value as shown in a message: {@code 'three' (String)}, {@code 2.5 (BigDecimal)}. */
    public static String show(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof CharSequence cs) {
            return "'" + abbreviate(cs.toString()) + "' (String)";
        }
        if (o instanceof RawMap || o instanceof Map) {
            return "a map (Map)";
        }
        if (o instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object item : list) {
                Object x = item instanceof Located l ? l.value() : item;
                parts.add(x instanceof CharSequence ? "'" + x + "'" : x instanceof RawMap ? "[...]" : String.valueOf(x));
            }
            return abbreviate("[" + String.join(", ", parts) + "]") + " (List)";
        }
        if (o instanceof Closure) {
            return "a { ... } block (Closure)";
        }
        return abbreviate(String.valueOf(o)) + " (" + o.getClass().getSimpleName() + ")";
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
