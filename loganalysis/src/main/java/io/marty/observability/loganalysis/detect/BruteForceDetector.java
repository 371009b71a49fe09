package io.marty.observability.loganalysis.detect;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.loganalysis.LogEvent;
import io.marty.observability.loganalysis.RuleSpec;
import io.marty.observability.loganalysis.Template;
import io.marty.observability.loganalysis.internal.BoundedMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code type: brute_force}: counts failed logins from {@code security} events per user and per
 * source IP. Fires when one user sees {@code threshold} failures (default 10) within the window
 * (<i>brute force on an account</i>), or one IP causes {@code ip_threshold} failures (default: the
 * threshold); an IP failing against {@code stuffing_min_users} (default 3) or more distinct users is
 * reported as <i>credential stuffing</i>.
 *
 * <p>A failure is an event whose {@code event_paths} (default {@code fields.security_event,
 * fields.event_type, fields.event}) holds one of {@code failure_values} (default {@code
 * authentication_failure login_failed login_failure auth_failure invalid_credentials}).
 */
final class BruteForceDetector extends AbstractDetector {
    private static final int MAX_DISTINCT = 64;

    private final int userThreshold;
    private final int ipThreshold;
    private final int stuffingMinUsers;
    private final String[] eventPaths;
    private final Set<String> failureValues;
    private final String[] userPaths;
    private final String[] ipPaths;
    private final boolean requireSecurityCategory;
    private final BoundedMap<String, Tracker> users;
    private final BoundedMap<String, Tracker> ips;

    /** Failures of one key plus the distinct counterparts (IPs of a user, users of an IP). */
    private static final class Tracker {
        final EventRing ring;
        final BoundedMap<String, Long> others = new BoundedMap<>(MAX_DISTINCT);

        Tracker(int n) {
            ring = new EventRing(n);
        }

        int distinctWithin(long now, long window) {
            int c = 0;
            for (Long t : others.view().values()) {
                if (now - t < window) {
                    c++;
                }
            }
            return c;
        }

        String sampleOthers(long now, long window) {
            return others.view().entrySet().stream()
                    .filter(en -> now - en.getValue() < window)
                    .map(Map.Entry::getKey)
                    .limit(5)
                    .collect(Collectors.joining(", "));
        }
    }

    BruteForceDetector(RuleSpec rule) {
        super(rule);
        this.userThreshold = whole(rule, "threshold", rule.threshold(10));
        this.ipThreshold = whole(rule, "ip_threshold", rule.param("ip_threshold", userThreshold));
        this.stuffingMinUsers = whole(rule, "stuffing_min_users", rule.param("stuffing_min_users", 3));
        this.eventPaths = rule.listParam(
                        "event_paths", List.of("fields.security_event", "fields.event_type", "fields.event"))
                .toArray(new String[0]);
        this.failureValues = rule
                .listParam(
                        "failure_values",
                        List.of(
                                "authentication_failure",
                                "login_failed",
                                "login_failure",
                                "auth_failure",
                                "invalid_credentials"))
                .stream()
                .map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        this.userPaths = rule.listParam("user_paths", List.of("context.user_id", "fields.user_id", "fields.username"))
                .toArray(new String[0]);
        this.ipPaths = rule.listParam("ip_paths", List.of("fields.source_ip", "fields.client_ip", "fields.ip"))
                .toArray(new String[0]);
        this.requireSecurityCategory = !"any".equals(rule.stringParam("category", "security"));
        this.users = new BoundedMap<>(rule.maxKeys());
        this.ips = new BoundedMap<>(rule.maxKeys());
    }

    private static int whole(RuleSpec rule, String key, double v) {
        if (v < 1 || v > 100_000 || v != Math.rint(v)) {
            throw new IllegalArgumentException(
                    "rule '" + rule.name() + "': " + key + " must be a whole number in 1..100000, got " + v);
        }
        return (int) v;
    }

    private boolean isFailure(LogEvent e) {
        if (requireSecurityCategory && !"security".equals(e.category())) {
            return false;
        }
        for (String p : eventPaths) {
            String v = e.text(p);
            if (v != null && failureValues.contains(v.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onEvent(LogEvent e, Template t, long now, Consumer<Alert> out) {
        if (!isFailure(e) || !rule.matches(e)) {
            return;
        }
        String user = e.firstText(userPaths);
        String ip = e.firstText(ipPaths);
        if (user != null) {
            Tracker tr = users.computeIfAbsent(user, k -> new Tracker(userThreshold));
            tr.ring.add(now);
            if (ip != null) {
                tr.others.put(ip, now);
            }
            if (tr.ring.full(now, windowMillis)) {
                fire("user:" + user, now, out, () -> {
                    int n = tr.ring.countWithin(now, windowMillis);
                    int distinctIps = tr.distinctWithin(now, windowMillis);
                    String explanation = n + " failed logins for user '" + user + "' within " + window()
                            + " (threshold " + userThreshold + ")"
                            + (distinctIps > 0
                                    ? " from " + distinctIps + " source IP(s): " + tr.sampleOthers(now, windowMillis)
                                    : "")
                            + "; possible brute force against this account";
                    return alert(
                            e.service(),
                            key("user_id", user),
                            n,
                            userThreshold,
                            now,
                            rule.name() + ": brute force against user '" + user + "'",
                            explanation,
                            e);
                });
            }
        }
        if (ip != null) {
            Tracker tr = ips.computeIfAbsent(ip, k -> new Tracker(ipThreshold));
            tr.ring.add(now);
            if (user != null) {
                tr.others.put(user, now);
            }
            if (tr.ring.full(now, windowMillis)) {
                fire("ip:" + ip, now, out, () -> {
                    int n = tr.ring.countWithin(now, windowMillis);
                    int distinctUsers = tr.distinctWithin(now, windowMillis);
                    boolean stuffing = distinctUsers >= stuffingMinUsers;
                    String kind = stuffing ? "credential stuffing" : "brute force";
                    String explanation = n + " failed logins from IP " + ip + " within " + window() + " (threshold "
                            + ipThreshold + ") against " + distinctUsers + " distinct user(s)"
                            + (distinctUsers > 0 ? " (" + tr.sampleOthers(now, windowMillis) + ")" : "")
                            + "; "
                            + (stuffing
                                    ? "many accounts from one source looks like credential stuffing (>= "
                                            + stuffingMinUsers + " users)"
                                    : "possible brute force");
                    Map<String, String> k = key("source_ip", ip);
                    k.put("pattern", stuffing ? "credential_stuffing" : "brute_force");
                    return alert(
                            e.service(),
                            k,
                            n,
                            ipThreshold,
                            now,
                            rule.name() + ": " + kind + " from " + ip,
                            explanation,
                            e);
                });
            }
        }
    }

    @Override
    protected long stateEvictions() {
        return users.evictions() + ips.evictions();
    }
}
