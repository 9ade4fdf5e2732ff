package katapult.provider.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The on-demand price table shipped with Katapult ({@code prices/aws-on-demand.csv} on the class path: lines
 * {@code region,type,usd_per_hour} after a {@code # made YYYY-MM-DD} comment), used when the Price List API cannot
 * be asked. {@code bench/prices/regenerate} rewrites it from AWS's public offer files.
 */
final class AwsPriceTable {

    static final String RESOURCE = "prices/aws-on-demand.csv";

    private final Map<String, Double> prices;
    private final String made;

    AwsPriceTable(Map<String, Double> prices, String made) {
        this.prices = Map.copyOf(prices);
        this.made = made;
    }

    /** The table shipped on the class path. */
    static AwsPriceTable shipped() {
        try (InputStream in = AwsPriceTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new AwsPriceTable(Map.of(), "?");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static AwsPriceTable parse(BufferedReader in) throws IOException {
        Map<String, Double> prices = new HashMap<>();
        String made = "?";
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("# made ")) {
                made = line.substring("# made ".length()).trim();
            }
            String[] cells = line.split(",");
            if (line.startsWith("#") || cells.length != 3 || cells[0].equals("region")) {
                continue;
            }
            prices.put(cells[0].trim() + "|" + cells[1].trim(), Double.parseDouble(cells[2].trim()));
        }
        return new AwsPriceTable(prices, made);
    }

    Optional<Double> price(String region, String type) {
        return Optional.ofNullable(prices.get(region + "|" + type));
    }

    /** The date the table was made, {@code YYYY-MM-DD}. */
    String made() {
        return made;
    }
}
