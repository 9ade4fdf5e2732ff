package katapult.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names the jobs that were given none: {@code <word>-<prefix of their key>}, the key being the SHA-256 of what they
 * run. The prefix is 6 hex digits, or, where jobs of the same word share those, the shortest prefix no other job's
 * key shares, as git abbreviates. Six digits collide by the birthday rule from a few hundred jobs on; a longer
 * prefix for the colliding ones only keeps every other name as it always was.
 */
final class DefaultNames {

    static final int MIN_DIGITS = 6;

    /**
     * A job to name, or one already named whose key the others must not share a prefix with.
     *
     * @param word  the script's stem or the command's first word
     * @param key   64 hex digits
     * @param named its name when it has one already (a job of the config this file adds to), else null
     */
    record Candidate(String word, String key, String named) {
    }

    private DefaultNames() {
    }

    /**
     * The names of {@code candidates}, in their order; their keys must be distinct. A job keeps the name {@code kept}
     * holds for its key; no job takes a name in {@code taken} (given names) or a name kept for another key.
     */
    static List<String> assign(List<Candidate> candidates, Set<String> taken, KeptNames kept) {
        Map<String, String> keptByKey = kept.byKey();
        Set<String> fixed = new HashSet<>(taken);
        fixed.addAll(kept.names());
        String[] names = new String[candidates.size()];
        for (int i = 0; i < names.length; i++) {
            Candidate c = candidates.get(i);
            String keptName = keptByKey.get(KeptNames.keyOf(c.key()));
            if (c.named() != null) {
                names[i] = c.named();
            } else if (keptName != null && !taken.contains(keptName) && keptName.startsWith(c.word() + "-")) {
                names[i] = keptName;
            }
        }
        for (List<Integer> group : byWord(candidates).values()) {
            group.sort(Comparator.comparing(i -> candidates.get(i).key()));
            for (int g = 0; g < group.size(); g++) {
                int i = group.get(g);
                if (names[i] == null) {
                    names[i] = fresh(candidates, group, g, fixed);
                }
            }
        }
        return List.of(names);
    }

    private static Map<String, List<Integer>> byWord(List<Candidate> candidates) {
        Map<String, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            groups.computeIfAbsent(candidates.get(i).word(), w -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    /** The shortest unique prefix: one digit more than the longest it shares with a neighbour in key order. */
    private static String fresh(List<Candidate> candidates, List<Integer> sorted, int at, Set<String> fixed) {
        Candidate c = candidates.get(sorted.get(at));
        int digits = MIN_DIGITS;
        if (at > 0) {
            digits = Math.max(digits, common(c.key(), candidates.get(sorted.get(at - 1)).key()) + 1);
        }
        if (at + 1 < sorted.size()) {
            digits = Math.max(digits, common(c.key(), candidates.get(sorted.get(at + 1)).key()) + 1);
        }
        String name = c.word() + "-" + c.key().substring(0, Math.min(digits, c.key().length()));
        while (fixed.contains(name) && digits < c.key().length()) {
            digits++;
            name = c.word() + "-" + c.key().substring(0, digits);
        }
        return name;
    }

    private static int common(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
