package io.marty.observability.demo.traffic;

/** The faults the demo traffic generator injects on a schedule. */
public enum Fault {
    /** A share of checkouts fail in the payment service (server errors, SLO burn, error logs). */
    ERROR_BURST,
    /** Checkouts become slow (latency SLO burn, slow-request log alerts). */
    LATENCY_SPIKE,
    /** Many failed logins for one account from one address (security logs, brute-force alert). */
    BRUTE_FORCE,
    /** Checkouts almost stop and get small (revenue drop, business alert). */
    REVENUE_DROP
}
