package io.marty.observability.slo;

/**
 * A problem that does not stop an SLO from working but that the user should fix, such as a latency
 * threshold that is not a histogram bucket bound.
 *
 * @param slo the SLO id ({@code service/name})
 * @param field the spec field concerned
 * @param message what is wrong and how to fix it
 */
public record SloWarning(String slo, String field, String message) {
    @Override
    public String toString() {
        return "warning: SLO " + slo + ": field '" + field + "': " + message;
    }
}
