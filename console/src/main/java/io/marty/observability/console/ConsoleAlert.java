package io.marty.observability.console;

/**
 * An alert shown in the console's alert panel, supplied by an {@link ConsolePanels.AlertSource}.
 *
 * @param name alert or detector name, e.g. {@code SloFastBurn} or {@code brute_force}
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param service affected service, may be empty
 * @param message human-readable summary
 * @param epochMillis when the alert fired
 * @param traceId an example trace, may be empty
 * @param correlationId an example correlation id, may be empty
 */
public record ConsoleAlert(
        String name,
        String severity,
        String service,
        String message,
        long epochMillis,
        String traceId,
        String correlationId) {}
