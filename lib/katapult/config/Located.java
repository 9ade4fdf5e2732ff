package katapult.config;

/**
 * A value read from a config file, with the 1-based line it was written on (0 when unknown).
 * The value is {@code null}, a scalar (String, Number, Boolean, Duration, ...), a {@link RawMap},
 * or a {@code List<Located>}.
 */
public record Located(Object value, int line) {
}
