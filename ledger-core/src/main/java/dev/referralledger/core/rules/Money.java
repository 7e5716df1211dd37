package dev.referralledger.core.rules;

import java.math.BigDecimal;

/**
 * An exact amount in one ISO 4217 currency. Amounts are decimals, never floating point, and are never
 * converted between currencies.
 */
public record Money(BigDecimal amount, String currency) {
}
