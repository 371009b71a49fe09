package io.marty.observability.benchmarks.overhead;

/** Maps a variant name to what it adds to the services. */
final class Variants {
    private Variants() {}

    static Instrumentation create(String variant, String server, Args args) {
        return switch (variant) {
            case "bare", "agent" -> Instrumentation.NONE;
            default ->
                throw new IllegalArgumentException("--variant must be one of bare, agent, got '" + variant + "'");
        };
    }
}
