package katapult.session;

import java.util.List;

import katapult.state.RunRecord;

/**
 * What {@code retry} did.
 *
 * @param requeued  the runs it put back in the queue, as they are now (each a fresh attempt)
 * @param unfetched the selected runs it left ABORTED because their last attempt could not be fetched yet
 */
public record Retried(List<RunRecord> requeued, List<RunRecord> unfetched) {
}
