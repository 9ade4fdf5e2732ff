package katapult.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Suggests the closest known word for a mistyped one ("did you mean 'cpus'?"), only when it is close. */
public final class DidYouMean {

    private DidYouMean() {
    }

    /**
     * The candidate closest to {@code input}, when close enough to be a likely typo: the same word
     * apart from case and underscores ({@code cpusReq} for {@code cpus_req}), or within an edit
     * distance (see {@link #distance}) of 1 (words up to 4 letters), 2 (up to 8) or 3 (longer). Ties go to the first candidate.
     */
    public static Optional<String> suggest(String input, Collection<String> candidates) {
        if (input == null || input.isEmpty()) {
            return Optional.empty();
        }
        String in = normalize(input);
        for (String c : candidates) {
            if (normalize(c).equals(in) && !c.equals(input)) {
                return Optional.of(c);
            }
        }
        int limit = input.length() <= 4 ? 1 : input.length() <= 8 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            if (c.equals(input)) {
                continue;
            }
            int d = distance(input.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean 'x'?"} or the empty string. */
    public static String hint(String input, Collection<String> candidates) {
        return suggest(input, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /**
     * Edit distance: insertions, deletions, substitutions and swaps of two neighbours each cost 1
     * (Levenshtein with transpositions, "optimal string alignment").
     */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String normalize(String s) {
        return s.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }
}
