package katapult.provider;

import java.io.IOException;

/**
 * The provider tried, within its bounds, and cannot make the instance now (no capacity anywhere, a quota, a spot
 * price above max_bid). The session gives the instance's runs up as ABORTED with this reason instead of stopping.
 */
public class LaunchException extends IOException {
    public LaunchException(String message) {
        super(message);
    }
}
