package katapult.remote;

/** An output of an upstream run, taken from that run's folder on the same instance: its run id and its output name. */
public record UpstreamFile(String rid, String output) {
}
