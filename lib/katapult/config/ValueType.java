package katapult.config;

/**
 * What one key takes: the conversion from the value as written to the typed value, with the message when
 * it does not fit. The binder reads a key through its type and only adds the checks that span several keys.
 *
 * @param several    whether the block form's method takes several values ({@code envPypi 'a', 'b'}) as a list
 * @param opens      the block a key of this type opens ({@code instance { }}), or null for a plain value
 * @param conversion the conversion of a present, non-null value
 * @param <T>        the typed value
 */
public record ValueType<T>(boolean several, ConfigKeys.Block opens, Conversion<T> conversion) {

    public ValueType(boolean several, Conversion<T> conversion) {
        this(several, null, conversion);
    }

    /** Converts a present value, reporting through {@code out} and returning null when it does not fit. */
    @FunctionalInterface
    public interface Conversion<T> {
        T convert(Located value, String spelled, ProblemSink out);
    }

    /** The typed value of {@code value} (null when absent, null, or reported). */
    public T read(Located value, String spelled, ProblemSink out) {
        if (value == null || value.value() == null) {
            return null;
        }
        return conversion.convert(value, spelled, out);
    }
}
