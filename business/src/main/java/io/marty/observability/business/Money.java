package io.marty.observability.business;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in an ISO 4217 currency, held exactly as minor units (cents for USD, yen for
 * JPY, fils for BHD): sums are integer arithmetic, never a sum of doubles.
 *
 * <pre>{@code
 * Money price = Money.of("19.99", "USD");      // 1999 minor units
 * Money yen = Money.ofMinor(500, "JPY");
 * }</pre>
 *
 * @param minorUnits the amount in the currency's minor unit (may be negative, e.g. refunds)
 * @param currency the ISO 4217 currency
 */
public record Money(long minorUnits, Currency currency) {

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    /**
     * {@code amount} (e.g. {@code "19.99"}) in {@code currencyCode}; fails naming the value when it has
     * more decimals than the currency allows or is not a number.
     */
    public static Money of(String amount, String currencyCode) {
        BigDecimal value;
        try {
            value = new BigDecimal(amount.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("amount '" + amount + "' is not a decimal number", e);
        }
        return of(value, currencyCode);
    }

    /** {@code amount} in {@code currencyCode}; fails when it has more decimals than the currency allows. */
    public static Money of(BigDecimal amount, String currencyCode) {
        Currency c = currency(currencyCode);
        int digits = Math.max(0, c.getDefaultFractionDigits());
        try {
            return new Money(
                    amount.setScale(digits, RoundingMode.UNNECESSARY)
                            .movePointRight(digits)
                            .longValueExact(),
                    c);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "amount " + amount.toPlainString() + " has more than " + digits + " decimals for " + c, e);
        }
    }

    /** {@code minorUnits} of {@code currencyCode}. */
    public static Money ofMinor(long minorUnits, String currencyCode) {
        return new Money(minorUnits, currency(currencyCode));
    }

    private static Currency currency(String code) {
        try {
            return Currency.getInstance(
                    Objects.requireNonNull(code, "currency").trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency '" + code + "' is not an ISO 4217 code", e);
        }
    }

    /** The amount as a decimal, e.g. {@code 19.99}. */
    public BigDecimal amount() {
        return BigDecimal.valueOf(minorUnits, Math.max(0, currency.getDefaultFractionDigits()));
    }

    /** The ISO code, e.g. {@code USD}. */
    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    /** This plus {@code other} (same currency), exactly; throws on overflow. */
    public Money plus(Money other) {
        if (!other.currency.equals(currency)) {
            throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
        }
        return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    }

    @Override
    public String toString() {
        return amount().toPlainString() + " " + currencyCode();
    }
}
