package katapult.session;

import java.util.List;
import java.util.Map;

import katapult.remote.UpstreamFile;

/**
 * What a run on a batch scheduler's login node needs of its upstream runs not fetched yet: the outputs its task takes
 * from their run folders, by their name in its work folder, and the run ids of all of them, outputs or not, whose
 * tasks its array waits for.
 */
record UpstreamOnInstance(Map<String, UpstreamFile> inputs, List<String> awaited) {

    UpstreamOnInstance {
        inputs = Map.copyOf(inputs);
        awaited = List.copyOf(awaited);
    }
}
