package io.marty.observability.benchmarks.overhead;

/** Maps a variant name to what it adds to the services. */
final class Variants {
    private Variants() {}

    static Instrumentation create(String variant, String server, Args args) {
        return switch (variant) {
            case "bare", "agent" -> Instrumentation.NONE; // every agent-* variant runs as "agent"
            case "ours", "ours-log" ->
                new OursInstrumentation(
                        args.require("otlp"), args.getDouble("sampling", 1.0), variant.equals("ours-log"));
            case "floor-noop" -> new FloorInstrumentation(false);
            case "floor-echo" -> new FloorInstrumentation(true);
            default ->
                throw new IllegalArgumentException(
                        "--variant must be one of bare, agent, ours, ours-log, floor-noop, floor-echo, got '"
                                + variant
                                + "'");
        };
    }
}
