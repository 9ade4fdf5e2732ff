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
 * {@code region,type,usd_per_hour}, a fourth cell {@code estimated} on a row that is not a list price, after a
 * {@code # made YYYY-MM-DD} comment), used when the Price List API cannot
 * be asked. {@code bench/prices/regenerate} rewrites it from AWS's public offer files.
 */
final class AwsPriceTable {

    static final String RESOURCE = "katapult/provider/aws/aws-on-demand.csv";

    private final Map<String, Double> prices;
    private final String made;
    private final Set<String> estimated;

    /**
     * @param estimated prices derived from another region's, not AWS's list prices: whole regions ({@code region}) or
     *                  single rows ({@code region|type})
     */
    AwsPriceTable(Map<String, Double> prices, String made, Set<String> estimated) {
        this.prices = Map.copyOf(prices);
        this.made = made;
        this.estimated = Set.copyOf(estimated);
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
            if (line.startsWith("#") || cells.length < 3 || cells.length > 4 || cells[0].equals("region")) {
                continue;
            }
            String key = cells[0].trim() + "|" + cells[1].trim();
            prices.put(key, Double.parseDouble(cells[2].trim()));
            if (cells.length == 4 && cells[3].trim().equals("estimated")) {
                estimated.add(key);     // a row marked on its own: the region's other rows may be list prices
            }
        }
        return new AwsPriceTable(prices, made, estimated);
    }

    Optional<Double> price(String region, String type) {
        return Optional.ofNullable(prices.get(region + "|" + type));
    }

    /**
     * Whether the price of {@code type} in {@code region} is an estimate (scaled from another region's), not AWS's
     * list price: its row says so, or a {@code # estimated} line names its whole region.
     */
    boolean estimated(String region, String type) {
        return estimated.contains(region) || estimated.contains(region + "|" + type);
    }

    /** The date the table was made, {@code YYYY-MM-DD}. */
    String made() {
        return made;
    }
}
