package katapult.config;

/**
 * What an instance entry says that only its provider reads: {@link AwsSettings}, {@link SshHostSettings}, {@link SlurmSettings}, or
 * {@link LocalSettings} (nothing). The keys of another provider are checked by the binder, then left out.
 */
public sealed interface InstanceSettings permits AwsSettings, SshHostSettings, SlurmSettings, LocalSettings {
}
