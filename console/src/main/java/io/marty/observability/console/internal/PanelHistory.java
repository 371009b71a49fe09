package io.marty.observability.console.internal;

import io.marty.observability.console.ConsoleAlert;
import io.marty.observability.console.ConsolePanels;
import io.marty.observability.console.ConsoleSloStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the SLO and alert panels looked like over the last hour, sampled from their sources every few
 * seconds: per SLO its error budget left and burn rate per window, and per alert the intervals it
 * was firing. Bounded: {@link #MAX_SAMPLES} samples per SLO, {@link #MAX_SLOS} SLOs and
 * {@link #MAX_INTERVALS} alert intervals.
 */
final class PanelHistory {
    static final int MAX_SAMPLES = 720;
    static final int MAX_SLOS = 256;
    static final int MAX_INTERVALS = 500;
    /** An event-like alert (its time does not move) counts as firing this long after its time. */
    static final long EVENT_ALERT_MILLIS = 5 * 60_000L;

    private static final long MIN_SAMPLE_GAP_MILLIS = 1000;
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|[smhdwy])");

    private final ConsolePanels.SloSource slos;
    private final ConsolePanels.AlertSource alerts;
    private final Map<String, ArrayDeque<Map<String, Object>>> sloSamples = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> open = new LinkedHashMap<>();
    private final ArrayDeque<Map<String, Object>> closed = new ArrayDeque<>();
    private long lastSample;

    PanelHistory(ConsolePanels.SloSource slos, ConsolePanels.AlertSource alerts) {
        this.slos = slos;
        this.alerts = alerts;
    }

    /** Seconds of a window name such as {@code 5m}, {@code 1h30m} or {@code 30d}; -1 if not one. */
    static long seconds(String window) {
        Matcher m = DURATION.matcher(window.trim());
        long total = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return -1;
            }
            end = m.end();
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "ms" -> 0;
                case "s" -> n;
                case "m" -> n * 60;
                case "h" -> n * 3600;
                case "d" -> n * 86_400;
                case "w" -> n * 604_800;
                default -> n * 31_536_000;
            };
        }
        return end == window.trim().length() && end > 0 ? total : -1;
    }

    /**
     * The status as the panel shows it: coverage of the SLO window and of each burn-rate window, and
     * {@code INSUFFICIENT_DATA} (with the reason) while the shortest burn-rate window is not covered.
     */
    static Map<String, Object> view(ConsoleSloStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("service", s.service());
        m.put("objective", s.objective());
        m.put("sli", s.sli());
        m.put("errorBudgetRemaining", s.errorBudgetRemaining());
        m.put("burnRates", s.burnRates());
        m.put("windowSeconds", s.windowSeconds());
        m.put("observedSeconds", s.observedSeconds());
        String state = s.state();
        String reason = s.reason();
        boolean known = s.observedSeconds() >= 0;
        Map<String, Double> coverage = new LinkedHashMap<>();
        long shortest = Long.MAX_VALUE;
        String shortestName = "";
        for (String w : s.burnRates().keySet()) {
            long sec = seconds(w);
            if (sec > 0 && known) {
                coverage.put(w, Math.min(1.0, (double) s.observedSeconds() / sec));
                if (sec < shortest) {
                    shortest = sec;
                    shortestName = w;
                }
            }
        }
        m.put("burnWindowCoverage", coverage);
        m.put(
                "windowCoverage",
                known && s.windowSeconds() > 0
                        ? Math.min(1.0, (double) s.observedSeconds() / s.windowSeconds())
                        : null);
        if (known && !"NO_DATA".equals(state) && shortest != Long.MAX_VALUE && s.observedSeconds() < shortest) {
            state = "INSUFFICIENT_DATA";
            if (reason.isEmpty()) {
                reason = String.format(
                        Locale.ROOT,
                        "%s observed: the shortest burn-rate window (%s) is not covered yet",
                        human(s.observedSeconds()),
                        shortestName);
            }
        }
        m.put("budgetKnown", !known || (s.windowSeconds() > 0 && s.observedSeconds() >= s.windowSeconds()));
        m.put("state", state);
        m.put("reason", reason);
        return m;
    }

    /** {@code 2 min}, {@code 3 h}, {@code 30 d}. */
    static String human(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        return seconds < 172_800 ? seconds / 3600 + " h" : seconds / 86_400 + " d";
    }

    /** Takes a sample unless one was taken less than a second ago; never throws. */
    synchronized void sample(long nowMillis) {
        if (nowMillis - lastSample < MIN_SAMPLE_GAP_MILLIS) {
            return;
        }
        lastSample = nowMillis;
        double t = nowMillis / 1000.0;
        if (slos != null) {
            try {
                for (ConsoleSloStatus s : slos.sloStatuses()) {
                    String key = s.service() + " / " + s.name();
                    ArrayDeque<Map<String, Object>> ring = sloSamples.get(key);
                    if (ring == null) {
                        if (sloSamples.size() >= MAX_SLOS) {
                            continue;
                        }
                        ring = new ArrayDeque<>();
                        sloSamples.put(key, ring);
                    }
                    Map<String, Object> v = view(s);
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("t", t);
                    p.put("budget", v.get("errorBudgetRemaining"));
                    p.put("burnRates", s.burnRates());
                    p.put("state", v.get("state"));
                    ring.addLast(p);
                    if (ring.size() > MAX_SAMPLES) {
                        ring.pollFirst();
                    }
                }
            } catch (RuntimeException e) {
                // the source failed: /api/slos reports it, the history just has a gap
            }
        }
        if (alerts != null) {
            try {
                sampleAlerts(alerts.alerts(), nowMillis);
            } catch (RuntimeException e) {
                // as above
            }
        }
    }

    private void sampleAlerts(List<ConsoleAlert> list, long nowMillis) {
        Map<String, ConsoleAlert> firing = new HashMap<>();
        for (ConsoleAlert a : list) {
            if (a.epochMillis() >= nowMillis - EVENT_ALERT_MILLIS) {
                firing.putIfAbsent(a.name() + '\u0000' + a.service(), a);
            }
        }
        for (var it = open.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!firing.containsKey(e.getKey())) {
                e.getValue().put("end", nowMillis);
                e.getValue().put("open", false);
                closed.addLast(e.getValue());
                it.remove();
            }
        }
        while (closed.size() > MAX_INTERVALS) {
            closed.pollFirst();
        }
        for (Map.Entry<String, ConsoleAlert> e : firing.entrySet()) {
            Map<String, Object> iv = open.get(e.getKey());
            if (iv == null) {
                if (open.size() >= MAX_INTERVALS) {
                    continue;
                }
                ConsoleAlert a = e.getValue();
                iv = new LinkedHashMap<>();
                iv.put("name", a.name());
                iv.put("service", a.service());
                iv.put("severity", a.severity());
                iv.put("start", Math.min(nowMillis, a.epochMillis()));
                open.put(e.getKey(), iv);
            }
            iv.put("severity", e.getValue().severity());
            iv.put("end", nowMillis);
            iv.put("open", true);
            iv.put("message", e.getValue().message());
        }
    }

    /** Per SLO ({@code service / name}): samples oldest first. */
    synchronized Map<String, Object> sloHistory() {
        Map<String, Object> m = new LinkedHashMap<>();
        sloSamples.forEach((k, ring) -> m.put(k, new ArrayList<>(ring)));
        return m;
    }

    /** Alert intervals (resolved, then still firing), each with name, service, severity, start, end, open. */
    synchronized List<Map<String, Object>> alertIntervals() {
        List<Map<String, Object>> out = new ArrayList<>();
        closed.forEach(iv -> out.add(new LinkedHashMap<>(iv)));
        open.values().forEach(iv -> out.add(new LinkedHashMap<>(iv)));
        return out;
    }
}
