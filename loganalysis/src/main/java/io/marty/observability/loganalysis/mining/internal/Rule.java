package io.marty.observability.loganalysis.mining.internal;

/**
 * Unstable internal API. The generalisation rules of the miner, each switchable so that the
 * leave-one-dataset-out validation can check that every rule earns its place on data other than
 * the dataset it is scored on. The miner's default enables all of them.
 */
public enum Rule {
    /** A date/time expression spread over several tokens ({@code Fri Jun 17 07:07:00 2005}) is one variable. */
    DATES,
    /** Dotted host names ({@code gw-3.isp.example.net}, {@code mail.example.org}) are variables by shape. */
    HOST_SHAPE,
    /** A quoted value spanning several tokens ({@code "John Smith"}) is one variable. */
    QUOTED_VALUE,
    /** Runs of {@code key=value} tokens are ordered by key, so reordered pairs give one template. */
    KEY_ORDER,
    /**
     * Several positions may become variables together, each once it shows enough distinct words
     * among the similar templates; a template's variables accept any token when lines are compared.
     */
    JOINT_POSITIONS,
    /** Templates differing only in a run of variable tokens of different length merge into one. */
    VARIABLE_RUNS
}
