package katapult.provider.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Price List API's answers kept on this machine ({@code <home>/prices/on-demand.json}), each with the time it was
 * asked, so the API is asked once a week per endpoint, region and type. A cache it cannot read or write is ignored:
 * the price is then asked again.
 */
final class AwsPriceCache {

    static final Duration FRESH = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer. Public fields for Jackson. */
    static final class Entry {
        public double usd;
        public long askedAt;
    }

    private final Path file;
    private final Clock clock;

    AwsPriceCache(Path home, Clock clock) {
        this.file = home.resolve("prices").resolve("on-demand.json");
        this.clock = clock;
    }

    /** A fresh answer, with the day it was asked. */
    synchronized Optional<Map.Entry<Double, LocalDate>> get(String key) {
        Entry entry = read().get(key);
        if (entry == null || Instant.ofEpochMilli(entry.askedAt).plus(FRESH).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(entry.usd, LocalDate.ofInstant(Instant.ofEpochMilli(entry.askedAt),
                ZoneOffset.UTC)));
    }

    synchronized void put(String key, double usd) {
        Map<String, Entry> all = read();
        Entry entry = new Entry();
        entry.usd = usd;
        entry.askedAt = clock.millis();
        all.put(key, entry);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("on-demand.json.tmp");
            JSON.writeValue(tmp.toFile(), all);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // only a cache: the next plan asks the API again
        }
    }

    private Map<String, Entry> read() {
        try {
            return Files.exists(file) ? JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Entry>>() { })
                    : new LinkedHashMap<>();
        } catch (IOException e) {
            return new LinkedHashMap<>();
        }
    }
}
