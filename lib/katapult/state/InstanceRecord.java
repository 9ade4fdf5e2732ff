package katapult.state;

import java.util.List;

/**
 * An instance Katapult created or reached.
 *
 * @param name         unique name within the project
 * @param provider     local | ssh | aws
 * @param handle       what the provider finds it by (local: sandbox folder; aws: region/instance-id; ssh: user@host:port)
 * @param cpus         cpu budget of its agent
 * @param status       provider's view: PENDING, RUNNING, STOPPED, GONE
 * @param generation   +1 each time the provider had to replace it
 * @param agentVersion version of the agent scripts installed, or null
 * @param envKeys      environment folders sent to it
 */
public record InstanceRecord(String name, String provider, String handle, int cpus, String status, int generation,
                             String agentVersion, List<String> envKeys) {

    public InstanceRecord {
        envKeys = envKeys == null ? List.of() : List.copyOf(envKeys);
    }

    public InstanceRecord withStatus(String newStatus) {
        return new InstanceRecord(name, provider, handle, cpus, newStatus, generation, agentVersion, envKeys);
    }

    public InstanceRecord withState(InstanceState newState) {
        return withStatus(newState.name());
    }

    /** {@link #status} as a state to decide on. */
    public InstanceState state() {
        return InstanceState.of(status);
    }

    public InstanceRecord withAgent(String version) {
        return new InstanceRecord(name, provider, handle, cpus, status, generation, version, envKeys);
    }

    public InstanceRecord withEnvKeys(List<String> keys) {
        return new InstanceRecord(name, provider, handle, cpus, status, generation, agentVersion, keys);
    }
}
