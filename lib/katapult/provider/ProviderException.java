package katapult.provider;

/** A provider cannot do what it was asked, for a reason the user can act on (credentials, region, quota...). */
public class ProviderException extends RuntimeException {
    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
