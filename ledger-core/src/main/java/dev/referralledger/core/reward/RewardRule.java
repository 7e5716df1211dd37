package dev.referralledger.core.reward;

import dev.referralledger.core.program.SetRewardPolicy;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.Money;
import dev.referralledger.core.rules.Violations;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * One reward a policy promises: a fixed amount, or a percentage of the deal value, in {@code currency}; held
 * {@code holdDays} (the refund window); and optional caps per advocate (per calendar month in UTC, and for all
 * time), in the same currency. Exactly one of {@code fixedAmount} and {@code percentage} is set.
 */
public record RewardRule(RewardType type, BigDecimal fixedAmount, BigDecimal percentage, String currency, int holdDays,
                         BigDecimal monthlyCapPerAdvocate, BigDecimal lifetimeCapPerAdvocate) {

    public static final int DEFAULT_HOLD_DAYS = 30;
    public static final int MAX_HOLD_DAYS = 3650;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /**
     * What this rule pays for a deal: the fixed amount, or the percentage of the deal's value rounded down to
     * the currency's cents (never more than promised). Null when a percentage has nothing to apply to: the
     * deal has no value, or a value in another currency (amounts are never converted).
     */
    public Money amountFor(Money dealValue) {
        if (fixedAmount != null) {
            return new Money(fixedAmount, currency);
        }
        if (dealValue == null || !currency.equals(dealValue.currency())) {
            return null;
        }
        int digits = Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
        BigDecimal amount = dealValue.amount().multiply(percentage).divide(HUNDRED, digits, RoundingMode.DOWN);
        return amount.signum() > 0 ? new Money(amount, currency) : null;
    }

    /** Validates one rule of a policy; {@code prefix} names it in field paths, e.g. {@code "referrer."}. */
    public static RewardRule validate(Violations v, FieldRules rules, String prefix, SetRewardPolicy.Rule in) {
        RewardType type = rules.oneOf(v, prefix + "type", in.type(), RewardType.class, null, "UNKNOWN_REWARD_TYPE");
        Money fixed = null;
        BigDecimal percentage = null;
        String currency = null;
        if (in.fixedAmount() != null && in.percentage() != null) {
            v.add(prefix + "percentage", "AMOUNT_OR_PERCENTAGE", "Give fixedAmount or percentage, not both.");
        } else if (in.fixedAmount() == null && in.percentage() == null) {
            v.add(prefix + "fixedAmount", "REQUIRED", "Give fixedAmount or percentage (of the deal value).");
        }
        if (in.fixedAmount() != null) {
            fixed = rules.money(v, prefix + "fixedAmount", in.fixedAmount(), prefix + "currency", in.currency(), true);
            if (fixed != null && fixed.amount().signum() == 0) {
                v.add(prefix + "fixedAmount", "OUT_OF_RANGE", prefix + "fixedAmount must be more than 0.");
                fixed = null;
            }
            currency = fixed == null ? null : fixed.currency();
        } else {
            // a zero amount only checks the currency
            Money zero = rules.money(v, prefix + "percentage", BigDecimal.ZERO, prefix + "currency", in.currency(), true);
            currency = zero == null ? null : zero.currency();
        }
        if (in.percentage() != null) {
            BigDecimal p = in.percentage();
            if (p.signum() <= 0 || p.compareTo(HUNDRED) > 0) {
                v.add(prefix + "percentage", "OUT_OF_RANGE", prefix + "percentage must be more than 0 and at most 100.");
            } else if (p.stripTrailingZeros().scale() > 4) {
                v.add(prefix + "percentage", "TOO_PRECISE", prefix + "percentage may have at most 4 decimals.");
            } else {
                percentage = p.stripTrailingZeros();
            }
        }
        int holdDays = rules.range(v, prefix + "holdDays", in.holdDays(), 0, MAX_HOLD_DAYS, DEFAULT_HOLD_DAYS);
        BigDecimal monthly = cap(v, rules, prefix + "monthlyCapPerAdvocate", in.monthlyCapPerAdvocate(), prefix, currency);
        BigDecimal lifetime = cap(v, rules, prefix + "lifetimeCapPerAdvocate", in.lifetimeCapPerAdvocate(), prefix, currency);
        if (type == null || currency == null || (fixed == null && percentage == null)) {
            return null;
        }
        return new RewardRule(type, fixed == null ? null : fixed.amount(), percentage, currency, holdDays, monthly, lifetime);
    }

    /** A cap in the rule's currency (already validated; null when it was not, which is reported on its own). */
    private static BigDecimal cap(Violations v, FieldRules rules, String field, BigDecimal value, String prefix,
                                  String currency) {
        if (value == null || currency == null) {
            return null;
        }
        Money m = rules.money(v, field, value, prefix + "currency", currency, false);
        if (m != null && m.amount().signum() == 0) {
            v.add(field, "OUT_OF_RANGE", field + " must be more than 0.");
            return null;
        }
        return m == null ? null : m.amount();
    }
}
