package io.marty.observability.loganalysis.mining;

import io.marty.observability.loganalysis.Template;
import io.marty.observability.loganalysis.mining.internal.Masker;
import io.marty.observability.loganalysis.mining.internal.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Online log template miner: one line at a time, memory bounded by the number of templates.
 *
 * <p>Each line is split into tokens and generic variables are masked by shape (numbers, hex, IPs,
 * ports, paths, ids containing digits, key=value values, sizes with units, host names, date/time
 * expressions of any number of tokens, quoted multi-word values; key=value runs are compared in key
 * order). The masked line then joins the most similar template of the same token count (Drain's
 * idea, He et al. ICWS 2017) when at least {@link Builder#similarityThreshold} of the constant
 * tokens agree. A masked value that disagrees turns that position into {@code <*>} at once; a
 * differing <em>word</em> does so only once {@link Builder#minDistinctWords} distinct words have
 * been seen there among the similar templates (few distinct words are an enum such as GET/POST and
 * stay apart; many are a variable such as a user name), counted per position so that several
 * positions may vary at once. A line of another length that differs from a template only in one
 * run of variables (or whose extra words sit where the template has an established {@code <*>})
 * turns that template into one whose variable spans a run of tokens. When a template generalises,
 * every template it now covers merges into the oldest id and the absorbed ids resolve to it
 * ({@link #finalIdOf}). One configuration serves every log source: there are no per-source regexes
 * or thresholds. Identical masked lines skip the search (bounded exact-match cache), and a line
 * seen verbatim before skips the masking as well (bounded line cache).
 *
 * <pre>{@code
 * TemplateMiner miner = TemplateMiner.builder().maxTemplates(5_000).build();
 * MatchResult r = miner.add("Accepted password for alice from 10.0.0.1 port 2222 ssh2");
 * long id = r.templateId();          // keep it per line
 * ...
 * String last = miner.finalTemplateOf(id).orElseThrow(); // after later merges
 * }</pre>
 *
 * <p>Thread safety: all methods are safe to call from several threads; {@link #add} serialises on
 * the miner (one lock), so for more throughput shard lines over several miners by source.
 *
 * <p>Bounded memory: at most {@link Builder#maxTemplates} live templates; past that the least
 * recently matched template is evicted ({@link #evictedTemplates()} counts them) and its last text
 * stays resolvable in a bounded history. Lines longer than {@link Builder#maxTokens} tokens keep
 * their tail as one variable.
 */
public final class TemplateMiner {

    private static final int MAX_CACHED_KEY = 1024;

    private final double similarityThreshold;
    private final int minDistinctWords;
    private final int maxTemplates;
    private final int historySize;
    private final Masker masker;
    private final boolean jointPositions;
    private final boolean variableRuns;

    private final Map<Integer, List<Cluster>> byLength = new HashMap<>();
    /** Templates with one variable spanning any number (>= 1) of tokens, at {@link Cluster#gap}. */
    private final List<Cluster> flexible = new ArrayList<>();
    /** Live templates in least-recently-matched order (access order), for eviction. */
    private final LinkedHashMap<Long, Cluster> live = new LinkedHashMap<>(64, 0.75f, true);
    /** Merged or evicted id → id it merged into (or -1 when evicted); bounded. */
    private final LinkedHashMap<Long, Long> redirects;
    /** Evicted id → its last template text; bounded. */
    private final LinkedHashMap<Long, String> retired;
    /** Masked line → template id: identical masked lines skip the similarity search; bounded. */
    private final LinkedHashMap<String, Long> exact;
    /**
     * Line → its masked line: a line seen before skips the masking (logs repeat lines verbatim).
     * Two-way set-associative over {@code lines[2k], lines[2k + 1]} (most recent first), so a
     * lookup or an insert is a few array accesses and allocates nothing; bounded by its size.
     * Masking is a pure function of the line, so what this cache keeps changes no result.
     */
    private final @Nullable String[] cachedLines;

    private final @Nullable String[] cachedMasks;

    /** The current line's {@link #tokenFlags} and token hashes during a search (refilled per search). */
    private byte[] lineFlags = new byte[32];

    private int[] lineHashes = new int[32];

    private long nextId = 1;
    private long lines;
    private long evicted;
    private long merges;
    private long forgotten;

    private TemplateMiner(Builder b) {
        this.similarityThreshold = b.similarityThreshold;
        this.minDistinctWords = b.minDistinctWords;
        this.maxTemplates = b.maxTemplates;
        this.historySize = b.historySize;
        this.masker = new Masker(b.maxTokens, b.rules);
        this.jointPositions = b.rules.contains(Rule.JOINT_POSITIONS);
        this.variableRuns = b.rules.contains(Rule.VARIABLE_RUNS);
        int cacheSize = b.cacheSize;
        this.redirects = boundedMap(historySize, true);
        this.retired = boundedMap(historySize, true);
        this.exact = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > cacheSize;
            }
        };
        int slots = Math.max(2, Integer.highestOneBit(cacheSize)); // a power of two, at most cacheSize
        this.cachedLines = new String[slots];
        this.cachedMasks = new String[slots];
    }

    private <V> LinkedHashMap<Long, V> boundedMap(int cap, boolean countForgotten) {
        return new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
                if (size() > cap) {
                    if (countForgotten) {
                        forgotten++;
                    }
                    return true;
                }
                return false;
            }
        };
    }

    /** A builder with the defaults (the configuration the Loghub benchmark figures use). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Assigns {@code line} (one log message, without header fields) to a template. Never throws for
     * any input text; {@code null} is treated as the empty line.
     */
    public synchronized MatchResult add(String line) {
        lines++;
        String text = line == null ? "" : line;
        String[] tokens = null;
        String key = maskedFromCache(text);
        if (key == null) {
            tokens = masker.tokens(text);
            key = String.join(" ", tokens);
            if (text.length() <= MAX_CACHED_KEY) {
                cacheMasked(text, key);
            }
        }
        Long cached = exact.get(key);
        if (cached != null) {
            Cluster c = live.get(resolve(cached));
            if (c != null) {
                c.count++;
                return new MatchResult(c.id, c.template(), c.count, false);
            }
        }
        if (tokens == null) {
            tokens = masker.tokens(text); // masking is a pure function of the line: same tokens again
        }
        List<Cluster> bucket = byLength.computeIfAbsent(tokens.length, k -> new ArrayList<>());
        Cluster best = bestMatch(bucket, tokens);
        List<Cluster> siblings = null;
        if (best != null) {
            boolean[] words = wordMismatches(best.tokens, tokens);
            if (words != null && jointPositions) {
                best = generaliseByEvidence(bucket, best, tokens, words);
                if (best != null) {
                    live.get(best.id); // touch for LRU
                    best.count++;
                    remember(key, best.id);
                    return new MatchResult(best.id, best.template(), best.count, false);
                }
            } else if (words != null) {
                siblings = siblings(bucket, best, words);
                if (siblings.size() + 2 < minDistinctWords) { // best + siblings + this line
                    // too few distinct words at that position yet: likely an enum (GET/POST,
                    // Started/Stopped), not a variable; keep it a template of its own for now
                    best = null;
                    siblings = null;
                }
            }
        }
        if (best == null && variableRuns) {
            best = matchVariableRun(tokens);
            if (best != null) {
                live.get(best.id);
                best.count++;
                remember(key, best.id);
                return new MatchResult(best.id, best.template(), best.count, false);
            }
        }
        if (best == null) {
            Cluster c = new Cluster(nextId++, tokens);
            c.order = masker.lastOrder();
            bucket.add(c);
            live.put(c.id, c);
            remember(key, c.id);
            evictIfNeeded();
            return new MatchResult(c.id, c.template(), c.count, true);
        }
        live.get(best.id); // touch for LRU
        best.count++;
        boolean changed = generalise(best, tokens);
        if (siblings != null) {
            for (Cluster sib : siblings) {
                generalise(sib, best.tokens);
            }
        }
        if (changed) {
            best = mergeDuplicates(bucket, best);
        }
        remember(key, best.id);
        return new MatchResult(best.id, best.template(), best.count, false);
    }

    /**
     * The line differs from {@code best} in words at {@code positions}. Among the templates similar
     * to the line (its neighbourhood, which may vary at several positions at once), a position
     * showing at least {@link Builder#minDistinctWords} distinct words (the line's included) is a
     * variable: it becomes {@code <*>} in all of them, and those now equal merge. Returns the
     * template the line now fits, or null when a position where it differs from {@code best} still
     * looks like an enum (the line then starts its own template).
     */
    private Cluster generaliseByEvidence(List<Cluster> bucket, Cluster best, String[] tokens, boolean[] positions) {
        List<Cluster> cover = new ArrayList<>();
        indexLine(tokens);
        for (Cluster d : bucket) {
            if (d == best || coverage(d, tokens) >= similarityThreshold) {
                cover.add(d);
            }
        }
        boolean all = true;
        boolean any = false;
        boolean[] ready = new boolean[positions.length];
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int i = 0; i < positions.length; i++) {
            if (isWildcard(tokens[i])) {
                continue;
            }
            boolean varies = false;
            for (int k = 0; k < cover.size() && !varies; k++) {
                varies = !cover.get(k).tokens[i].equals(tokens[i]);
            }
            if (!varies) {
                continue; // one value everywhere: a constant
            }
            distinct.clear();
            distinct.add(tokens[i]);
            for (Cluster d : cover) {
                distinct.add(d.tokens[i]);
            }
            ready[i] = distinct.size() >= minDistinctWords;
            any |= ready[i];
            if (positions[i]) {
                all &= ready[i];
            }
        }
        if (!any) {
            return null;
        }
        for (Cluster d : cover) {
            String[] t = d.tokens.clone();
            for (int i = 0; i < t.length; i++) {
                if (ready[i]) {
                    t[i] = Masker.WILDCARD;
                }
            }
            d.setTokens(t);
        }
        for (Cluster d : cover) {
            if (live.containsKey(d.id)) {
                mergeDuplicates(bucket, d); // members now equal merge into the oldest
            }
        }
        Cluster keep = live.get(resolve(best.id));
        if (all && keep != null) {
            generalise(keep, tokens);
            return mergeDuplicates(bucket, keep);
        }
        for (int i = 0; i < tokens.length; i++) {
            if (ready[i]) {
                tokens[i] = Masker.WILDCARD; // the line's own template starts with what is known
            }
        }
        return null;
    }

    /** Longest run of tokens a variable-length variable may take. */
    private static final int MAX_RUN = 8;

    /**
     * A line with no template of its length: joins a template whose variable-length slot takes the
     * differing run, or turns a template of another length into one when both differ only in a run
     * of variables (their prefix and suffix agree); null if neither applies.
     */
    private Cluster matchVariableRun(String[] tokens) {
        for (Cluster f : flexible) {
            if (fitsFlexible(f.tokens, f.gap, tokens)) {
                return f;
            }
        }

        int n = tokens.length;
        if (n == 0) {
            return null;
        }
        // runAlignment's second case needs a variable in the line, its first a longer line and a
        // framed <*> in the template: templates that can meet neither are skipped unread
        indexLine(tokens);
        byte[] flags = lineFlags;
        int[] hashes = lineHashes;
        boolean lineVariable = false;
        for (int i = 0; i < n; i++) {
            if ((flags[i] & VARIABLE) != 0) {
                lineVariable = true;
                break;
            }
        }
        // ends holding no <*> agree only when equal: a template whose end hashes differ from the
        // line's is passed over from its own fields, without reading its tokens. When the line
        // starts with a constant, only templates whose first token agrees can align (see
        // runAlignment: with no common prefix, both runs would have to start with a variable)
        int needs = lineVariable ? Cluster.HAS_VARIABLE : Cluster.HAS_VARIABLE | Cluster.FRAMED_WILDCARD;
        boolean firstMasked = (flags[0] & MASKED) != 0;
        boolean lastMasked = (flags[n - 1] & MASKED) != 0;
        boolean prefixNeeded = (flags[0] & VARIABLE) == 0;
        int first = hashes[0];
        int last = hashes[n - 1];
        for (int len = Math.max(1, n - MAX_RUN); len <= n + MAX_RUN; len++) {
            List<Cluster> other = len == n ? null : byLength.get(len);
            if (other == null || (!lineVariable && len > n)) {
                continue;
            }
            for (Cluster t : other) {
                int shape = t.shape();
                if ((shape & needs) != needs) {
                    continue;
                }
                boolean firstMaybe = firstMasked || (shape & Cluster.FIRST_MASKED) != 0 || t.firstHash == first;
                boolean lastMaybe = lastMasked || (shape & Cluster.LAST_MASKED) != 0 || t.lastHash == last;
                if (!firstMaybe && (prefixNeeded || !lastMaybe)) {
                    continue;
                }
                if (prefixNeeded && !compatible(t.tokens[0], t.flags()[0], t.hashes[0], tokens[0], flags[0], first)) {
                    continue;
                }
                int gap = runAlignment(t, tokens, flags, hashes);
                if (gap >= 0) {
                    return makeFlexible(t, tokens, gap);
                }
            }
        }
        return null;
    }

    /** True when {@code tokens} is {@code prefix + (>= 1 tokens) + suffix} of the flexible template. */
    private static boolean fitsFlexible(String[] f, int gap, String[] tokens) {
        int suffix = f.length - gap - 1;
        if (tokens.length < f.length || tokens.length - f.length >= MAX_RUN) {
            return false;
        }
        for (int i = 0; i < gap; i++) {
            if (!fits(f[i], tokens[i])) {
                return false;
            }
        }
        for (int k = 1; k <= suffix; k++) {
            if (!fits(f[f.length - k], tokens[tokens.length - k])) {
                return false;
            }
        }
        return true;
    }

    private static boolean fits(String template, String token) {
        return template.equals(token) || isWildcard(template) || Masker.covers(template, token);
    }

    private static boolean compatible(String a, String b) {
        return a.equals(b) || Masker.covers(a, b) || Masker.covers(b, a);
    }

    /** Token holds a {@code <*>} ({@link #isMasked}). */
    private static final byte MASKED = 1;
    /** Token is only variables and punctuation ({@link #isVariable}). */
    private static final byte VARIABLE = 2;
    /** Token is {@code <*>} itself. */
    private static final byte WILD = 4;

    /** Fills {@code flags} ({@link #MASKED}, {@link #VARIABLE}, {@link #WILD}) and {@code hashes} for each token. */
    private static void tokenFlags(String[] tokens, byte[] flags, int[] hashes) {
        for (int i = 0; i < tokens.length; i++) {
            String x = tokens[i];
            flags[i] = isMasked(x) ? (byte) (MASKED | (isVariable(x) ? VARIABLE : 0) | (isWildcard(x) ? WILD : 0)) : 0;
            hashes[i] = x.hashCode();
        }
    }

    /** {@link #tokenFlags} of the line into {@link #lineFlags} and {@link #lineHashes}. */
    private void indexLine(String[] tokens) {
        if (lineFlags.length < tokens.length) {
            lineFlags = new byte[tokens.length];
            lineHashes = new int[tokens.length];
        }
        tokenFlags(tokens, lineFlags, lineHashes);
    }

    /**
     * {@link #compatible(String, String)} given both tokens' flags and hashes: a token without
     * {@code <*>} equals nothing that holds one and covers only itself, so most pairs cost one
     * comparison of hashes.
     */
    private static boolean compatible(String a, byte fa, int ha, String b, byte fb, int hb) {
        if (((fa | fb) & MASKED) == 0) {
            return ha == hb && a.equals(b);
        }
        if ((fb & MASKED) == 0) {
            return Masker.covers(a, b);
        }
        if ((fa & MASKED) == 0) {
            return Masker.covers(b, a);
        }
        return compatible(a, b);
    }

    private static boolean isMasked(String token) {
        return token.contains(Masker.WILDCARD);
    }

    /**
     * Where template {@code t} and the line {@code b} (different lengths) differ only in one run:
     * returns the start of the run when the common prefix and suffix hold at least two constants,
     * and either both runs are made of variables or one run is a single {@code <*>} of the
     * template (an established variable) framed by constants on both sides; otherwise -1.
     * {@code fb} are the line's {@link #tokenFlags}.
     */
    private static int runAlignment(Cluster t, String[] b, byte[] fb, int[] hb) {
        String[] a = t.tokens;
        byte[] fa = t.flags();
        int[] ha = t.hashes;
        int la = a.length - 1;
        int lb = b.length - 1;
        int min = Math.min(a.length, b.length);
        int p = 0;
        while (p < min && compatible(a[p], fa[p], ha[p], b[p], fb[p], hb[p])) {
            p++;
        }
        if (p == 0 && !compatible(a[la], fa[la], ha[la], b[lb], fb[lb], hb[lb])) {
            return -1; // neither end agrees: no frame (the common case, checked cheaply)
        }
        // the framed <*> of the first case lies in the common prefix; the second case's runs start
        // right after it with a variable on both sides: when neither can hold, the suffix is not read
        boolean framed = b.length > a.length && t.framedWildcard();
        int q = Math.min(p, min - 1);
        if (!(framed && t.firstFramed() <= Math.min(p, a.length - 2))
                && ((fa[q] & VARIABLE) == 0 || (fb[q] & VARIABLE) == 0)) {
            return -1;
        }
        int s = 0;
        while (s < min && compatible(a[la - s], fa[la - s], ha[la - s], b[lb - s], fb[lb - s], hb[lb - s])) {
            s++;
        }
        // a single <*> of a at g, framed by constants, takes a run of b's tokens: a[0, g) agrees
        // with b's start (g <= p) and a(g, end) with b's end (a.length - 1 - g <= s)
        if (framed) {
            for (int g = Math.max(1, a.length - 1 - s); g <= Math.min(p, a.length - 2); g++) {
                if (framedAt(fa, g)) {
                    return g;
                }
            }
        }
        // both differ in one run made of variables only (each side keeps at least one token)
        p = q;
        s = Math.min(s, min - 1 - p);
        int framing = 0;
        for (int i = 0; i < p; i++) {
            framing += (fa[i] & MASKED) != 0 ? 0 : 1;
        }
        for (int k = 0; k < s; k++) {
            framing += (fa[la - k] & MASKED) != 0 ? 0 : 1;
        }
        if (framing >= 2 && allVariables(fa, p, a.length - s) && allVariables(fb, p, b.length - s)) {
            return p;
        }
        return -1;
    }

    /** A {@code <*>} at {@code g} between two tokens without variables. */
    private static boolean framedAt(byte[] f, int g) {
        return (f[g] & WILD) != 0 && (f[g - 1] & MASKED) == 0 && (f[g + 1] & MASKED) == 0;
    }

    /** True when {@code [from, to)} is not empty and holds only variables (and punctuation). */
    private static boolean allVariables(byte[] flags, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((flags[i] & VARIABLE) == 0) {
                return false;
            }
        }
        return to > from;
    }

    /** A token that is only variables and punctuation ({@code <*>}, {@code (<*>,}), no constant text. */
    private static boolean isVariable(String token) {
        if (!isMasked(token)) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.startsWith(Masker.WILDCARD, i)) {
                i += Masker.WILDCARD.length() - 1;
            } else if (Character.isLetterOrDigit(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Turns {@code t} into a template whose slot at {@code gap} takes a run of any length, and
     * merges into it every other fixed-length template it now covers.
     */
    private Cluster makeFlexible(Cluster t, String[] tokens, int gap) {
        // tokens after the run: as far as both agree from the end, leaving the run at least one token
        int suffix = 0;
        while (gap + suffix < Math.min(t.tokens.length, tokens.length) - 1
                && compatible(t.tokens[t.tokens.length - 1 - suffix], tokens[tokens.length - 1 - suffix])) {
            suffix++;
        }
        String[] f = new String[gap + 1 + suffix];
        for (int i = 0; i < gap; i++) {
            f[i] = general(t.tokens[i], tokens[i]);
        }
        f[gap] = Masker.WILDCARD;
        for (int k = 1; k <= suffix; k++) {
            f[f.length - k] = general(t.tokens[t.tokens.length - k], tokens[tokens.length - k]);
        }
        byLength.get(t.tokens.length).remove(t);
        t.setTokens(f);
        t.gap = gap;
        flexible.add(t);
        Cluster keep = t;
        List<Cluster> absorbed = new ArrayList<>();
        for (int len = f.length; len < f.length + MAX_RUN; len++) {
            List<Cluster> bucket = byLength.get(len);
            if (bucket == null) {
                continue;
            }
            for (Cluster d : bucket) {
                if (fitsFlexible(f, gap, d.tokens)) {
                    absorbed.add(d);
                    if (d.id < keep.id) {
                        keep = d;
                    }
                }
            }
        }
        if (keep != t) {
            // the oldest id survives: it takes the flexible template
            byLength.get(keep.tokens.length).remove(keep);
            absorbed.remove(keep);
            absorbed.add(t);
            flexible.remove(t);
            keep.setTokens(f);
            keep.gap = gap;
            flexible.add(keep);
        }
        for (Cluster d : absorbed) {
            keep.count += d.count;
            redirects.put(d.id, keep.id);
            live.remove(d.id);
            if (d.gap < 0) {
                byLength.get(d.tokens.length).remove(d);
            }
            merges++;
        }
        return keep;
    }

    private static String general(String a, String b) {
        if (a.equals(b) || Masker.covers(a, b)) {
            return a;
        }
        return Masker.covers(b, a) ? b : Masker.WILDCARD;
    }

    /** First slot of {@code line}'s set in {@link #cachedLines}. */
    private int lineSet(String line) {
        int h = line.hashCode();
        return ((h ^ (h >>> 16)) << 1) & (cachedLines.length - 1);
    }

    /** The masked form of {@code line} if the line cache holds it, else null. */
    private @Nullable String maskedFromCache(String line) {
        int i = lineSet(line);
        @Nullable String[] ls = cachedLines;
        if (line.equals(ls[i])) {
            return cachedMasks[i];
        }
        String other = ls[i + 1];
        if (line.equals(other)) {
            String key = cachedMasks[i + 1]; // now the most recent of its set
            ls[i + 1] = ls[i];
            cachedMasks[i + 1] = cachedMasks[i];
            ls[i] = other;
            cachedMasks[i] = key;
            return key;
        }
        return null;
    }

    /** Puts {@code line} first in its set; the set's older entry is dropped. */
    private void cacheMasked(String line, String key) {
        int i = lineSet(line);
        cachedLines[i + 1] = cachedLines[i];
        cachedMasks[i + 1] = cachedMasks[i];
        cachedLines[i] = line;
        cachedMasks[i] = key;
    }

    /** Caches short masked lines only, so the cache's memory is bounded by size x length. */
    private void remember(String key, long id) {
        if (key.length() <= MAX_CACHED_KEY) {
            exact.put(key, id);
        }
    }

    /**
     * Most similar template of the same length. Similarity counts constant tokens only: the share
     * of positions holding a constant on either side where both sides hold the same constant.
     * Positions where both sides are variables say nothing and are left out, so that short lines
     * made mostly of numbers do not all fall into one template.
     */
    private Cluster bestMatch(List<Cluster> bucket, String[] tokens) {
        Cluster best = null;
        double bestSim = -1;
        int bestSame = -1;
        indexLine(tokens);
        for (Cluster c : bucket) {
            long packed = agreement(c, tokens);
            int same = (int) (packed >>> 32);
            int considered = (int) packed;
            double sim = considered == 0 ? 1.0 : (double) same / considered;
            if (sim > bestSim || (sim == bestSim && same > bestSame)) {
                bestSim = sim;
                bestSame = same;
                best = c;
            }
        }
        return best != null && bestSim >= similarityThreshold ? best : null;
    }

    /** Share of the line's tokens that template {@code t} holds or covers (a {@code <*>} covers any). */
    private double coverage(Cluster c, String[] tokens) {
        byte[] tf = c.flags();
        int same = 0;
        for (int i = 0; i < tokens.length; i++) {
            same += (tf[i] & WILD) != 0 || agreesWithLine(c, tokens, i) ? 1 : 0;
        }
        return tokens.length == 0 ? 1.0 : (double) same / tokens.length;
    }

    /**
     * Positions agreeing (high 32 bits) and positions holding a constant on either side (low).
     * With {@link Rule#JOINT_POSITIONS} a variable of the template says nothing about the line's
     * token there either, so a template that became variable at several positions still draws
     * the lines it covers.
     */
    private long agreement(Cluster c, String[] tokens) {
        byte[] tf = c.flags();
        int same = 0;
        int considered = 0;
        for (int i = 0; i < tokens.length; i++) {
            boolean wa = (tf[i] & WILD) != 0;
            if (wa && ((lineFlags[i] & WILD) != 0 || jointPositions)) {
                continue;
            }
            considered++;
            if (!wa && agreesWithLine(c, tokens, i)) {
                same++;
            }
        }
        return ((long) same << 32) | considered;
    }

    /** Token {@code i} of {@code c} is {@link #compatible} with the line's (after {@link #indexLine}). */
    private boolean agreesWithLine(Cluster c, String[] tokens, int i) {
        return compatible(c.tokens[i], c.flags()[i], c.hashes[i], tokens[i], lineFlags[i], lineHashes[i]);
    }

    private static boolean isWildcard(String token) {
        return token == Masker.WILDCARD || token.equals(Masker.WILDCARD);
    }

    /** Turns positions where {@code tokens} disagrees into wildcards; true if the template changed. */
    private static boolean generalise(Cluster c, String[] tokens) {
        String[] t = c.tokens;
        String[] updated = null;
        for (int i = 0; i < t.length; i++) {
            if (t[i].equals(tokens[i]) || isWildcard(t[i]) || Masker.covers(t[i], tokens[i])) {
                continue;
            }
            if (updated == null) {
                updated = t.clone();
            }
            // the line's token may itself be the more general pattern (<*>:<*> over wpad:<*>)
            updated[i] = Masker.covers(tokens[i], t[i]) ? tokens[i] : Masker.WILDCARD;
        }
        if (updated == null) {
            return false;
        }
        c.setTokens(updated);
        return true;
    }

    /** True when every line of {@code specific} also fits {@code general}. */
    private static boolean subsumes(String[] general, String[] specific) {
        for (int i = 0; i < general.length; i++) {
            if (!general[i].equals(specific[i]) && !isWildcard(general[i]) && !Masker.covers(general[i], specific[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Merges every template that {@code changed} now covers (equal, or more specific) into the
     * oldest of them, which takes {@code changed}'s tokens; returns the survivor.
     */
    private Cluster mergeDuplicates(List<Cluster> bucket, Cluster changed) {
        Cluster keep = changed;
        List<Cluster> equal = null;
        for (Cluster other : bucket) {
            if (other != changed && subsumes(changed.tokens, other.tokens)) {
                if (equal == null) {
                    equal = new ArrayList<>();
                }
                equal.add(other);
                if (other.id < keep.id) {
                    keep = other; // the oldest id survives so that ids seen first stay canonical
                }
            }
        }
        if (equal == null) {
            return changed;
        }
        equal.add(changed);
        for (Cluster drop : equal) {
            if (drop != keep) {
                keep.count += drop.count;
                redirects.put(drop.id, keep.id);
                live.remove(drop.id);
                bucket.remove(drop);
                merges++;
            }
        }
        keep.setTokens(changed.tokens);
        return keep;
    }

    /** Positions where both hold a different constant (a word, not a masked value); null if none. */
    private static boolean[] wordMismatches(String[] template, String[] tokens) {
        boolean[] out = null;
        for (int i = 0; i < template.length; i++) {
            String a = template[i];
            String b = tokens[i];
            if (!isWildcard(a) && !isWildcard(b) && !a.equals(b) && !Masker.covers(a, b) && !Masker.covers(b, a)) {
                if (out == null) {
                    out = new boolean[template.length];
                }
                out[i] = true;
            }
        }
        return out;
    }

    /** Templates equal to {@code best} everywhere except at {@code positions}, where they hold words. */
    private static List<Cluster> siblings(List<Cluster> bucket, Cluster best, boolean[] positions) {
        List<Cluster> out = new ArrayList<>();
        for (Cluster d : bucket) {
            if (d == best) {
                continue;
            }
            boolean ok = true;
            for (int i = 0; i < positions.length && ok; i++) {
                ok = positions[i] ? !isWildcard(d.tokens[i]) : d.tokens[i].equals(best.tokens[i]);
            }
            if (ok) {
                out.add(d);
            }
        }
        return out;
    }

    private void evictIfNeeded() {
        while (live.size() > maxTemplates) {
            Iterator<Map.Entry<Long, Cluster>> it = live.entrySet().iterator();
            Cluster victim = it.next().getValue();
            it.remove();
            if (victim.gap >= 0) {
                flexible.remove(victim);
            } else {
                byLength.get(victim.tokens.length).remove(victim);
            }
            retired.put(victim.id, victim.template());
            evicted++;
        }
    }

    private long resolve(long id) {
        long cur = id;
        for (int hops = 0; hops < 64; hops++) { // merge chains are short; the bound guards cycles
            Long next = redirects.get(cur);
            if (next == null) {
                return cur;
            }
            cur = next;
        }
        return cur;
    }

    /** The id that {@code templateId} now lives under (itself unless it was merged). */
    public synchronized long finalIdOf(long templateId) {
        return resolve(templateId);
    }

    /**
     * The current text of the template {@code templateId} ended up in, following merges; for an
     * evicted template its last text. Empty when the id is unknown or fell out of the bounded
     * history.
     */
    public synchronized Optional<String> finalTemplateOf(long templateId) {
        long id = resolve(templateId);
        Cluster c = live.get(id);
        if (c != null) {
            return Optional.of(c.template());
        }
        return Optional.ofNullable(retired.get(id));
    }

    /** Snapshot of the live templates, most frequent first. */
    public synchronized List<Template> templates() {
        List<Template> out = new ArrayList<>(live.size());
        for (Cluster c : live.values()) {
            out.add(new Template(c.id, c.template(), c.count));
        }
        out.sort(Comparator.comparingLong(Template::count).reversed().thenComparingLong(Template::id));
        return out;
    }

    /** Number of live templates. */
    public synchronized int templateCount() {
        return live.size();
    }

    /** Lines passed to {@link #add}. */
    public synchronized long lineCount() {
        return lines;
    }

    /** Templates dropped because {@link Builder#maxTemplates} was reached. */
    public synchronized long evictedTemplates() {
        return evicted;
    }

    /** Templates absorbed by another one as evidence grew. */
    public synchronized long mergedTemplates() {
        return merges;
    }

    /** Merge/eviction history entries dropped because the history is bounded. */
    public synchronized long forgottenHistory() {
        return forgotten;
    }

    private static final class Cluster {
        final long id;
        String[] tokens;
        String text;
        long count = 1;
        /** Index of the token that stands for a run of any length, or -1. */
        int gap = -1;
        /**
         * Shape flags for {@link #runAlignment}, 0 when not known yet (reset when the tokens change):
         * {@link #KNOWN} | {@link #HAS_VARIABLE} | {@link #FRAMED_WILDCARD}.
         */
        int vars;
        /** {@link #tokenFlags} of the tokens, null until needed (reset when the tokens change). */
        byte @Nullable [] flags;
        /** The tokens' hash codes, set with {@link #flags}. */
        int @Nullable [] hashes;
        /** Hash code of the first and of the last token; set with {@link #vars}. */
        int firstHash;

        int lastHash;
        /** Index of the first {@code <*>} framed by constants, or {@link Integer#MAX_VALUE}; set with {@link #vars}. */
        int firstFramed;
        /**
         * Where each position of the first line went when its key=value pairs were put in key
         * order (see {@link Masker#lastOrder()}); null when nothing moved. Only for display.
         */
        int[] order;

        Cluster(long id, String[] tokens) {
            this.id = id;
            this.tokens = tokens;
        }

        static final int KNOWN = 1;
        static final int HAS_VARIABLE = 2;
        static final int FRAMED_WILDCARD = 4;
        static final int FIRST_MASKED = 8;
        static final int LAST_MASKED = 16;

        void setTokens(String[] updated) {
            tokens = updated;
            vars = 0;
            flags = null;
            text = null;
        }

        /** {@link #tokenFlags} of the tokens (and {@link #hashes}), computed once per change of the tokens. */
        byte[] flags() {
            byte[] f = flags;
            if (f == null) {
                f = new byte[tokens.length];
                hashes = new int[tokens.length];
                tokenFlags(tokens, f, hashes);
                flags = f;
            }
            return f;
        }

        int firstFramed() {
            shape();
            return firstFramed;
        }

        /**
         * True when a {@code <*>} between two constants could take a longer run ({@link
         * #runAlignment}'s first case): at least three constants and such a {@code <*>}.
         */
        boolean framedWildcard() {
            return (shape() & FRAMED_WILDCARD) != 0;
        }

        /** {@link #vars}, computed when not known. */
        int shape() {
            if (vars == 0) {
                int v = KNOWN;
                byte[] f = flags();
                int constants = 0;
                for (byte x : f) {
                    v |= (x & VARIABLE) != 0 ? HAS_VARIABLE : 0;
                    constants += (x & MASKED) != 0 ? 0 : 1;
                }
                int framed = Integer.MAX_VALUE;
                for (int g = 1; g < f.length - 1 && framed == Integer.MAX_VALUE; g++) {
                    if (framedAt(f, g)) {
                        framed = g;
                    }
                }
                if (constants >= 3 && framed != Integer.MAX_VALUE) {
                    v |= FRAMED_WILDCARD;
                }
                int last = f.length - 1;
                if (last >= 0) {
                    v |= (f[0] & MASKED) != 0 ? FIRST_MASKED : 0;
                    v |= (f[last] & MASKED) != 0 ? LAST_MASKED : 0;
                    firstHash = hashes[0];
                    lastHash = hashes[last];
                }
                firstFramed = framed;
                vars = v;
            }
            return vars;
        }

        String template() {
            String t = text;
            if (t == null) {
                t = order == null || gap >= 0 ? String.join(" ", tokens) : inWrittenOrder();
                text = t;
            }
            return t;
        }

        private String inWrittenOrder() {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < tokens.length; k++) {
                if (k > 0) {
                    sb.append(' ');
                }
                String here = tokens[k];
                sb.append(Masker.core(tokens[order[k]]))
                        .append(here, Masker.core(here).length(), here.length());
            }
            return sb.toString();
        }
    }

    /** Configuration of a {@link TemplateMiner}; every setting is validated when set. */
    public static final class Builder {
        private double similarityThreshold = 0.7;
        private int minDistinctWords = 5;
        private int maxTemplates = 10_000;
        private int maxTokens = 256;
        private int historySize = 100_000;
        private int cacheSize = 4_096;
        private Set<Rule> rules = EnumSet.allOf(Rule.class);

        private Builder() {}

        /** The generalisation rules in force (all by default); for the leave-one-dataset-out validation. */
        Builder rules(Set<Rule> value) {
            this.rules = EnumSet.copyOf(value);
            return this;
        }

        /**
         * Share (0..1] of constant tokens that must agree for a line to join a template (positions
         * where both sides are variables do not count). Default 0.7.
         */
        public Builder similarityThreshold(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("similarityThreshold must be in (0, 1], got " + value);
            }
            this.similarityThreshold = value;
            return this;
        }

        /**
         * How many different words a position must show before it becomes a variable. Below it,
         * lines that differ in one word stay apart ({@code GET}/{@code POST}, {@code
         * Started}/{@code Stopped}/{@code Paused}); masked values (numbers, ids...) never need it.
         * Default 5.
         */
        public Builder minDistinctWords(int value) {
            if (value < 2) {
                throw new IllegalArgumentException("minDistinctWords must be >= 2, got " + value);
            }
            this.minDistinctWords = value;
            return this;
        }

        /** Cap on live templates; the least recently matched is evicted past it. Default 10000. */
        public Builder maxTemplates(int value) {
            this.maxTemplates = positive("maxTemplates", value);
            return this;
        }

        /** Tokens kept per line; the rest of a longer line becomes one {@code <*>}. Default 256. */
        public Builder maxTokens(int value) {
            if (value < 2) {
                throw new IllegalArgumentException("maxTokens must be >= 2, got " + value);
            }
            this.maxTokens = value;
            return this;
        }

        /** Merge/eviction entries kept so old ids stay resolvable. Default 100000. */
        public Builder historySize(int value) {
            this.historySize = positive("historySize", value);
            return this;
        }

        /**
         * Masked lines remembered for the exact-match fast path, and at most as many recent lines
         * (up to 1024 characters each) with their masked form. Default 4096.
         */
        public Builder cacheSize(int value) {
            this.cacheSize = positive("cacheSize", value);
            return this;
        }

        public TemplateMiner build() {
            return new TemplateMiner(this);
        }

        private static int positive(String key, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(key + " must be > 0, got " + value);
            }
            return value;
        }
    }
}
