package io.marty.observability.loganalysis.mining;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.loganalysis.Template;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Robustness cases generated here (no benchmark data): the same event rendered with different
 * timestamp formats, host-name shapes, optional parenthesised parts, reordered key=value pairs,
 * multi-word values and several positions varying together. Every event's lines must end in one
 * template, and different events must not merge. Lines of all events are interleaved in a random
 * (seeded) order, as a real log would mix them.
 */
class MinerRobustnessTest {

    private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private static final String[] NAMES = {
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar"
    };
    private static final String[] SURNAMES = {"Smith", "Jones", "van Dijk", "de la Cruz", "Li"};

    /** A timestamp in one of the common textual forms, chosen at random. */
    static String timestamp(Random r) {
        int day = 1 + r.nextInt(28);
        int month = r.nextInt(12);
        String wd = WEEKDAYS[r.nextInt(7)];
        String hms = String.format("%02d:%02d:%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60));
        int year = 2000 + r.nextInt(26);
        switch (r.nextInt(8)) {
            case 0:
                return String.format("%s %s %2d %s %d", wd, MONTHS[month], day, hms, year)
                        .replace("  ", " "); // ctime
            case 1:
                return String.format("%s, %02d %s %d %s GMT", wd, day, MONTHS[month], year, hms); // RFC 1123
            case 2:
                return String.format("%s, %d %s %d %s +0200", wd, day, MONTHS[month], year, hms); // RFC 2822
            case 3:
                return String.format("%d-%02d-%02dT%s.%03dZ", year, month + 1, day, hms, r.nextInt(1000)); // RFC 3339
            case 4:
                return String.format("%d-%02d-%02d %s,%03d", year, month + 1, day, hms, r.nextInt(1000)); // ISO, space
            case 5:
                return String.format("%s %d %s", MONTHS[month], day, hms); // syslog
            case 6:
                return Long.toString(946_684_800L + r.nextInt(800_000_000)); // epoch seconds
            default:
                return String.format("%02d/%02d/%d %s PM", month + 1, day, year, hms.substring(1)); // US
        }
    }

    static String ip(Random r) {
        return (1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    /** A host name in one of several shapes, with or without digits. */
    static String host(Random r) {
        String[] words = {"gateway", "mail", "edge", "proxy", "www", "api", "db"};
        String[] domains = {"isp.example.net", "corp.example.org", "example.com", "cloud.example.io"};
        switch (r.nextInt(4)) {
            case 0:
                return "host-" + ip(r).replace('.', '-') + "." + domains[r.nextInt(domains.length)];
            case 1:
                return words[r.nextInt(words.length)] + "." + domains[r.nextInt(domains.length)];
            case 2:
                return words[r.nextInt(words.length)] + (1 + r.nextInt(40)) + "." + domains[r.nextInt(domains.length)];
            default:
                return ip(r);
        }
    }

    private static final String[] TASKS = {"build", "deploy", "lint", "package", "release", "scan", "sign", "verify"};
    private static final String[] QUEUES = {"inbox", "ready", "running", "blocked", "review", "done", "archive", "trash"
    };

    static String pick(Random r, String[] words) {
        return words[r.nextInt(words.length)];
    }

    static String user(Random r) {
        return NAMES[r.nextInt(NAMES.length)];
    }

    static String fullName(Random r) {
        String first = NAMES[r.nextInt(NAMES.length)];
        first = Character.toUpperCase(first.charAt(0)) + first.substring(1);
        return r.nextBoolean() ? first : first + " " + SURNAMES[r.nextInt(SURNAMES.length)];
    }

    static String keyValues(Random r, String... pairs) {
        List<String> list = new ArrayList<>(List.of(pairs));
        Collections.shuffle(list, r);
        return String.join(" ", list);
    }

    /** The events: name → renderer of one random line. */
    static Map<String, Function<Random, String>> events() {
        Map<String, Function<Random, String>> e = new java.util.LinkedHashMap<>();
        e.put(
                "connection",
                r -> "connection from " + ip(r) + " (" + (r.nextInt(4) == 0 ? "" : host(r)) + ") at " + timestamp(r));
        e.put("session opened", r -> "session opened for user " + user(r) + " by (uid=" + r.nextInt(1000) + ")");
        e.put("session closed", r -> "session closed for user " + user(r));
        e.put(
                "request",
                r -> "request "
                        + keyValues(
                                r,
                                "method=" + (r.nextBoolean() ? "GET" : "POST"),
                                "path=/api/v1/items/" + r.nextInt(99),
                                "status=" + (200 + r.nextInt(5)),
                                "client=" + host(r)));
        e.put(
                "job finished",
                r -> "[" + timestamp(r) + "] job \""
                        + (r.nextBoolean()
                                ? "nightly backup"
                                : r.nextBoolean() ? "index rebuild of archive" : "cleanup")
                        + "\" finished in " + r.nextInt(5000) + " ms");
        e.put("login", r -> "user " + fullName(r) + " logged in from " + host(r));
        e.put("logout", r -> "user " + fullName(r) + " logged out after " + r.nextInt(90) + " minutes");
        e.put(
                "transfer",
                r -> "copied " + user(r) + "'s file to " + user(r) + " on " + host(r) + " at " + timestamp(r));
        e.put(
                "disk",
                r -> "disk " + (r.nextBoolean() ? "sda" : "nvme0n1") + " usage " + r.nextInt(100) + "% on " + host(r));
        return e;
    }

    @Test
    void eachEventIsOneTemplateAndEventsStayApart() {
        Random r = new Random(20_261_207L);
        Map<String, Function<Random, String>> events = events();
        List<String> names = new ArrayList<>(events.keySet());
        List<String[]> lines = new ArrayList<>(); // {event, line}
        for (int i = 0; i < 3_000; i++) {
            String ev = names.get(r.nextInt(names.size()));
            lines.add(new String[] {ev, events.get(ev).apply(r)});
        }
        LineTemplates lt = new LineTemplates(TemplateMiner.builder().build());
        lines.forEach(l -> lt.add(l[1]));

        Map<String, Set<Long>> idsOfEvent = new HashMap<>();
        Map<Long, Set<String>> eventsOfId = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            long id = lt.finalIdOf(i);
            idsOfEvent.computeIfAbsent(lines.get(i)[0], k -> new HashSet<>()).add(id);
            eventsOfId.computeIfAbsent(id, k -> new HashSet<>()).add(lines.get(i)[0]);
        }
        for (String ev : names) {
            Set<Long> ids = idsOfEvent.get(ev);
            List<String> templates = new ArrayList<>();
            ids.forEach(id -> templates.add(lt.miner().finalTemplateOf(id).orElse("?")));
            assertThat(ids)
                    .as("event '%s' split into templates %s", ev, templates)
                    .hasSize(1);
        }
        eventsOfId.forEach((id, evs) -> assertThat(evs)
                .as("template %s merges events", lt.miner().finalTemplateOf(id).orElse("?"))
                .hasSize(1));
    }

    @Test
    void timestampFormatsAreOneVariable() {
        Random r = new Random(7);
        TemplateMiner m = TemplateMiner.builder().build();
        Set<String> templates = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            templates.add(
                    m.add("backup started at " + timestamp(r) + " by cron").template());
        }
        assertThat(m.templateCount()).isEqualTo(1);
        assertThat(m.templates().get(0).text()).isEqualTo("backup started at <*> by cron");
    }

    @Test
    void enumWordsAndDifferentEventsDoNotMerge() {
        TemplateMiner m = TemplateMiner.builder().build();
        Random r = new Random(3);
        Set<Long> started = new HashSet<>();
        Set<Long> stopped = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            started.add(m.add("service " + user(r) + " started on " + host(r)).templateId());
            stopped.add(m.add("service " + user(r) + " stopped on " + host(r)).templateId());
        }
        Set<Long> s = new HashSet<>();
        started.forEach(id -> s.add(m.finalIdOf(id)));
        Set<Long> t = new HashSet<>();
        stopped.forEach(id -> t.add(m.finalIdOf(id)));
        assertThat(s).hasSize(1);
        assertThat(t).hasSize(1).doesNotContainAnyElementsOf(s);
    }

    @Test
    void twoEnumPositionsVaryingTogetherStayEnums() {
        // 3 x 2 combinations: more templates than minDistinctWords, but each position has few words
        TemplateMiner m = TemplateMiner.builder().build();
        Random r = new Random(11);
        String[] methods = {"GET", "POST", "PUT"};
        String[] outcomes = {"succeeded", "failed"};
        for (int i = 0; i < 300; i++) {
            m.add(pick(r, methods) + " request for " + user(r) + " " + pick(r, outcomes) + " after " + r.nextInt(900)
                    + " ms");
        }
        assertThat(m.templates())
                .extracting(Template::text)
                .containsExactlyInAnyOrder(
                        "GET request for <*> succeeded after <*>",
                        "GET request for <*> failed after <*>",
                        "POST request for <*> succeeded after <*>",
                        "POST request for <*> failed after <*>",
                        "PUT request for <*> succeeded after <*>",
                        "PUT request for <*> failed after <*>");
    }

    @Test
    void severalWordPositionsVaryingTogetherBecomeOneTemplate() {
        // three word positions (no digits, no dots) vary independently: no single position
        // collects enough evidence while the others vary too
        TemplateMiner m = TemplateMiner.builder().build();
        Random r = new Random(5);
        for (int i = 0; i < 160; i++) {
            m.add("task " + pick(r, TASKS) + " moved from " + pick(r, QUEUES) + " to " + pick(r, QUEUES));
        }
        assertThat(m.templates()).extracting(Template::text).containsExactly("task <*> moved from <*> to <*>");
    }
}
