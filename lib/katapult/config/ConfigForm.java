package katapult.config;

/**
 * The two ways of writing a config file. They load into the same {@link Config}; the form only
 * changes how keys are spelled in messages.
 */
public enum ConfigForm {
    /** {@code katapult { instance { cpus 2 } }}: camelCase method calls. */
    BLOCK,
    /** {@code config = [instances: [[cpus: 2]]]}: snake_case keys in a Groovy map. */
    MAP
}
