package katapult.provider;

import java.util.Map;

import katapult.state.InstanceRecord;

/**
 * The project's maestro instance and what its Katapult needs beyond the shipped files.
 *
 * @param instance     the maestro, reached with {@link Provider#shell} like a worker
 * @param environment  variables its Katapult runs with (empty on a real cloud, where the instance profile gives the
 *                     rights; with an endpoint override: the endpoint and the path of {@code privateFiles}' file)
 * @param privateFiles files written beside its Katapult with mode 0600 (path relative to the maestro's folder →
 *                     content): the caller's credentials with an endpoint override, nothing otherwise
 * @param shutdown     what the maestro machine shutting itself down does to it (its idle rule applies only when
 *                     the provider owns the machine: NONE keeps it up)
 */
public record MaestroHost(InstanceRecord instance, Map<String, String> environment, Map<String, String> privateFiles,
                          ShutdownEffect shutdown) {

    public MaestroHost {
        environment = Map.copyOf(environment);
        privateFiles = Map.copyOf(privateFiles);
    }

    /** A maestro on a machine the provider does not own: it never shuts itself down. */
    public MaestroHost(InstanceRecord instance, Map<String, String> environment, Map<String, String> privateFiles) {
        this(instance, environment, privateFiles, ShutdownEffect.NONE);
    }
}
