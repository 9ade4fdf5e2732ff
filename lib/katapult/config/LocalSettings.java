package katapult.config;

/** The local provider reads nothing beyond the common keys of an instance entry. */
public record LocalSettings() implements InstanceSettings {
}
