package io.marty.observability.demo.traffic;

/**
 * One request the generator sends to the demo system.
 *
 * @param kind what the simulated user does
 * @param userId the simulated user
 * @param clientIp simulated client address (the brute-force burst uses one address)
 * @param amountCents checkout amount, 0 for other kinds
 * @param password login password; the brute-force burst sends wrong ones
 * @param failPayment ask the payment service to fail this checkout (error burst)
 * @param delayMillis extra latency to inject in the order service (latency spike), 0 for none
 */
public record DemoRequest(
        Kind kind,
        String userId,
        String clientIp,
        long amountCents,
        String password,
        boolean failPayment,
        int delayMillis) {

    /** Request kinds, mapped by a {@link Target} onto real endpoints. */
    public enum Kind {
        BROWSE,
        CHECKOUT,
        LOGIN
    }

    /** Header asking the demo services to fail the payment of this request. */
    public static final String FAULT_HEADER = "X-Demo-Fault";
    /** Header asking the demo services to add latency to this request, in milliseconds. */
    public static final String DELAY_HEADER = "X-Demo-Delay-Ms";
}
