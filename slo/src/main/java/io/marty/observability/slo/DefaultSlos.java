package io.marty.observability.slo;

import java.util.List;

/**
 * Three SLOs that fit any request-serving service, with one call:
 *
 * <ul>
 *   <li>{@code availability}: 99.9 % of server requests without a server error over 30 days, critical;
 *   <li>{@code latency}: 95 % of server requests within 500 ms over 7 days, high;
 *   <li>{@code success-rate}: 99 % of server requests successful over 7 days, high.
 * </ul>
 *
 * <pre>{@code
 * List<Slo> slos = DefaultSlos.forService("checkout");
 * }</pre>
 */
public final class DefaultSlos {
    private DefaultSlos() {}

    public static List<Slo> forService(String service) {
        return List.of(
                Slo.builder(service, "availability")
                        .description("Requests served without a server error")
                        .sli(Sli.availability())
                        .objectivePercent(99.9)
                        .window(SloWindow.parse("30d"))
                        .priority(SloPriority.CRITICAL)
                        .label("team", "platform")
                        .build(),
                Slo.builder(service, "latency")
                        .description("Requests served within 500 ms (p95 under 500 ms)")
                        .sli(Sli.latency(0.5))
                        .objectivePercent(95)
                        .window(SloWindow.parse("7d"))
                        .priority(SloPriority.HIGH)
                        .build(),
                Slo.builder(service, "success-rate")
                        .description("Requests that succeed (no client or server error)")
                        .sli(Sli.successRate())
                        .objectivePercent(99)
                        .window(SloWindow.parse("7d"))
                        .priority(SloPriority.HIGH)
                        .build());
    }
}
