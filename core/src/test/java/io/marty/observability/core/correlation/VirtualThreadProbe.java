package io.marty.observability.core.correlation;

import io.opentelemetry.context.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Run in a child JVM (Java 21+) by {@link VirtualThreadsIT}: checks that correlation context and
 * MDC reach tasks on virtual threads and are gone afterwards. Prints one line per check and exits 0
 * only when all hold.
 */
public final class VirtualThreadProbe {
    public static void main(String[] args) throws Exception {
        boolean ok = true;
        CorrelationContext c =
                CorrelationContext.newRoot().toBuilder().userId("vt-user").build();
        ExecutorService vt = ContextExecutors.newVirtualThreadPerTaskExecutor();
        ExecutorService platform = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            Future<String> inTask;
            try (Scope ignored = c.makeCurrent()) {
                inTask = vt.submit(
                        () -> isVirtual() + "|" + CorrelationContext.current().correlationId() + "|"
                                + MDC.get(MdcKeys.CORRELATION_ID) + "|" + MDC.get(MdcKeys.USER_ID));
            }
            String seen = inTask.get(30, TimeUnit.SECONDS);
            String expected = "true|" + c.correlationId() + "|" + c.correlationId() + "|vt-user";
            ok &= report("context and MDC in virtual thread", expected, seen);

            // a task submitted without any wrapper sees nothing (guards the check above)
            Future<String> plain = platform.submit(
                    () -> CorrelationContext.current().correlationId() + "|" + MDC.get(MdcKeys.CORRELATION_ID));
            ok &= report("unwrapped task sees nothing", "null|null", plain.get(30, TimeUnit.SECONDS));
        } finally {
            vt.shutdown();
            platform.shutdown();
        }
        ok &= report("caller MDC restored", "null", String.valueOf(MDC.get(MdcKeys.CORRELATION_ID)));
        System.out.println(ok ? "PROBE OK" : "PROBE FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static boolean isVirtual() throws ReflectiveOperationException {
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
    }

    private static boolean report(String what, String expected, String actual) {
        boolean ok = expected.equals(actual);
        System.out.println((ok ? "ok   " : "FAIL ") + what + ": expected " + expected + ", got " + actual);
        return ok;
    }
}
