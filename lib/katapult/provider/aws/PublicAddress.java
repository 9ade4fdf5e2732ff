package katapult.provider.aws;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** This machine's public IPv4 address, as AWS sees it. Needs the internet: never called by the tests. */
final class PublicAddress {

    private PublicAddress() {
    }

    static String lookup() {
        if (Boolean.getBoolean("katapult.aws.offline")) {
            return null;   // the specs set it: no test reaches beyond loopback, even by mistake
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
