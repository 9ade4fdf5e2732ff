package katapult.provider.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The on-demand price table shipped with Katapult ({@code aws-on-demand.csv} beside this class on the class path: lines
 * {@code region,type,usd_per_hour} after a {@code # made YYYY-MM-DD} comment), used when the Price List API cannot
 * be asked. {@code bench/prices/regenerate} rewrites it from AWS's public offer files.
 */
final class AwsPriceTable {

    static final String RESOURCE = "katapult/provider/aws/aws-on-demand.csv";

    private final Map<String, Double> prices;
    private final String made;
    private final Set<String> estimatedRegions;

    /** @param estimatedRegions regions whose prices were derived from another region's, not read from an offer file */
    AwsPriceTable(Map<String, Double> prices, String made, Set<String> estimatedRegions) {
        this.prices = Map.copyOf(prices);
        this.made = made;
        this.estimatedRegions = Set.copyOf(estimatedRegions);
    }

    /** The table shipped on the class path. */
    static AwsPriceTable shipped() {
        try (InputStream in = AwsPriceTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new AwsPriceTable(Map.of(), "?", Set.of());
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static AwsPriceTable parse(BufferedReader in) throws IOException {
        Map<String, Double> prices = new HashMap<>();
        String made = "?";
        Set<String> estimated = new HashSet<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("# made ")) {
                made = line.substring("# made ".length()).trim();
            }
            if (line.startsWith("# estimated ")) {
                Arrays.stream(line.substring("# estimated ".length()).split(",")).map(String::trim)
                        .filter(r -> !r.isEmpty()).forEach(estimated::add);
            }
            String[] cells = line.split(",");
            if (line.startsWith("#") || cells.length != 3 || cells[0].equals("region")) {
                continue;
            }
            prices.put(cells[0].trim() + "|" + cells[1].trim(), Double.parseDouble(cells[2].trim()));
        }
        return new AwsPriceTable(prices, made, estimated);
    }

    Optional<Double> price(String region, String type) {
        return Optional.ofNullable(prices.get(region + "|" + type));
    }

    /** Whether the region's prices are estimates (scaled from another region's), not AWS's list prices. */
    boolean estimated(String region) {
        return estimatedRegions.contains(region);
    }

    /** The date the table was made, {@code YYYY-MM-DD}. */
    String made() {
        return made;
    }
}
