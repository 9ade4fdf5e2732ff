package katapult.provider.aws;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * This machine's public IPv4 address, as AWS sees it. Needs the internet; offline (the specs' system property
 * {@code katapult.aws.offline}) the answer is the system property {@code katapult.aws.publicAddress}, or none.
 */
final class PublicAddress {

    private PublicAddress() {
    }

    static String lookup() {
        if (Boolean.getBoolean("katapult.aws.offline")) {
            // the specs set it: no test reaches beyond loopback, even by mistake; the answer is theirs, if any
            return System.getProperty("katapult.aws.publicAddress");
        }
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("https://checkip.amazonaws.com/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
