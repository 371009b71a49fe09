package io.marty.observability.business;

/** A comparison operator of KPI checks and threshold rules. */
public enum Comparison {
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    EQ("=="),
    NE("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in YAML and PromQL, e.g. {@code <=}. */
    public String symbol() {
        return symbol;
    }

    /** Whether {@code value op threshold} holds; false for NaN. */
    public boolean test(double value, double threshold) {
        if (Double.isNaN(value)) {
            return false;
        }
        switch (this) {
            case LT:
                return value < threshold;
            case LE:
                return value <= threshold;
            case GT:
                return value > threshold;
            case GE:
                return value >= threshold;
            case EQ:
                return value == threshold;
            default:
                return value != threshold;
        }
    }

    /** Parses {@code < <= > >= == !=}; throws naming the bad operator. */
    public static Comparison parse(String text) {
        for (Comparison c : values()) {
            if (c.symbol.equals(text.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("operator must be one of < <= > >= == !=, got '" + text + "'");
    }
}
