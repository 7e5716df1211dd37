package dev.referralledger.projections.report;

import dev.referralledger.core.reward.RewardCaps;
import dev.referralledger.core.reward.RewardPolicy;
import dev.referralledger.core.reward.RewardRule;
import dev.referralledger.core.reward.RewardSide;
import dev.referralledger.core.rules.Money;
import dev.referralledger.projections.report.WhatIfResult.AdvocateRow;
import dev.referralledger.projections.report.WhatIfResult.Figures;
import dev.referralledger.projections.report.WhatIfResult.MovedConversion;
import dev.referralledger.projections.report.WhatIfResult.TotalRow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The what-if arithmetic, pure: fed one tenant's referrals (touches) and conversions in event order, and the rewards
 * the ledger issued for the conversions in the period, it answers {@link WhatIfResult}. It reads and writes nothing.
 *
 * <p>Under a proposed policy every conversion before {@code to} is replayed, in the order recorded, so that
 * milestones (the advocate's Nth conversion in the program) and caps (per advocate, program, side and currency, for
 * all time and per UTC month) count the earlier ones as if the policy had always applied; only the conversions in
 * the period are reported. The caps and amounts are those of the reward policy saga and the reward aggregate
 * ({@link RewardPolicy#rewardsFor}, {@link RewardCaps}).</p>
 */
final class WhatIf {

    /** A referral made for a person: a candidate for the credit of that person's conversion. */
    record Touch(String referralId, String advocateId, String programId, String referredPersonId, Instant at,
                 long position) {
    }

    record Conversion(String referralId, Instant at, long position, Money dealValue, String advocateId,
                      String programId, String referredPersonId) {
    }

    /** A reward issued (or, in the what-if, that would be) for a conversion. */
    record Issued(String referralId, RewardSide side, Money amount) {
    }

    private record Credit(String referralId, String advocateId, String programId) {
    }

    private record Key(String advocateId, String currency) {
    }

    /** Index 0: what happened; 1: what if. */
    private static final class Sums {
        final long[] conversions = new long[2];
        final BigDecimal[] revenue = {BigDecimal.ZERO, BigDecimal.ZERO};
        final BigDecimal[] rewards = {BigDecimal.ZERO, BigDecimal.ZERO};

        Figures figures(int i, String currency) {
            return new Figures(conversions[i], ReportQueries.money(revenue[i], currency),
                    ReportQueries.money(rewards[i], currency));
        }

        Figures difference(String currency) {
            return new Figures(conversions[1] - conversions[0],
                    ReportQueries.money(revenue[1].subtract(revenue[0]), currency),
                    ReportQueries.money(rewards[1].subtract(rewards[0]), currency));
        }
    }

    private static final Comparator<Touch> IN_ORDER = Comparator.comparing(Touch::at).thenComparingLong(Touch::position);

    private final WhatIfReport query;
    private final Map<String, Touch> byReferral = new HashMap<>();
    private final Map<String, List<Touch>> byPerson = new HashMap<>();
    private final List<Conversion> conversions = new ArrayList<>();

    WhatIf(WhatIfReport query) {
        this.query = query;
    }

    void touch(Touch t) {
        byReferral.put(t.referralId(), t);
        if (t.referredPersonId() != null) {
            byPerson.computeIfAbsent(t.referredPersonId(), k -> new ArrayList<>()).add(t);
        }
    }

    void conversion(Conversion c) {
        conversions.add(complete(c));
    }

    /** The conversions the answer reports: recorded in the period, of the program asked for. */
    List<Conversion> reported() {
        return conversions.stream().filter(this::reported).toList();
    }

    private boolean reported(Conversion c) {
        return (query.from() == null || !c.at().isBefore(query.from())) && c.at().isBefore(query.to())
                && (query.programId() == null || query.programId().equals(c.programId()));
    }

    /** @param issued the rewards the ledger issued, per converted referral, for the reported conversions */
    WhatIfResult result(Map<String, List<Issued>> issued) {
        List<Conversion> ordered = new ArrayList<>(conversions);
        ordered.sort(Comparator.comparing(Conversion::at).thenComparingLong(Conversion::position));
        Map<Key, Sums> perAdvocate = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, BigDecimal> capsUsed = new HashMap<>();
        List<MovedConversion> moved = new ArrayList<>();
        long reported = 0;
        for (Conversion c : ordered) {
            Credit actual = new Credit(c.referralId(), c.advocateId(), c.programId());
            Credit credit = query.attribution() == null ? actual : credit(c, query.attribution());
            List<Issued> actualRewards = issued.getOrDefault(c.referralId(), List.of());
            List<Issued> whatIfRewards = query.policy() == null ? actualRewards
                    : replay(c, credit, query.policy(), counts, capsUsed);
            if (!reported(c)) {
                continue;
            }
            reported++;
            add(perAdvocate, 0, actual.advocateId(), c.dealValue(), actualRewards);
            add(perAdvocate, 1, credit.advocateId(), c.dealValue(), whatIfRewards);
            if (!credit.referralId().equals(actual.referralId())) {
                Money shown = c.dealValue() == null ? null : new Money(
                        ReportQueries.money(c.dealValue().amount(), c.dealValue().currency()), c.dealValue().currency());
                moved.add(new MovedConversion(c.referralId(), c.at(), shown, actual.advocateId(),
                        actual.programId(), credit.referralId(), credit.advocateId(), credit.programId()));
            }
        }
        List<AdvocateRow> advocates = new ArrayList<>();
        Map<String, Sums> perCurrency = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        perAdvocate.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::currency, Comparator.nullsLast(Comparator.<String>naturalOrder()))
                        .thenComparing(Key::advocateId, Comparator.nullsLast(Comparator.<String>naturalOrder()))))
                .forEach(e -> {
                    String currency = e.getKey().currency();
                    Sums s = e.getValue();
                    advocates.add(new AdvocateRow(e.getKey().advocateId(), currency, s.figures(0, currency),
                            s.figures(1, currency), s.difference(currency)));
                    Sums total = perCurrency.computeIfAbsent(currency, k -> new Sums());
                    for (int i = 0; i < 2; i++) {
                        total.conversions[i] += s.conversions[i];
                        total.revenue[i] = total.revenue[i].add(s.revenue[i]);
                        total.rewards[i] = total.rewards[i].add(s.rewards[i]);
                    }
                });
        List<TotalRow> totals = new ArrayList<>();
        perCurrency.forEach((currency, s) -> totals.add(new TotalRow(currency, s.figures(0, currency),
                s.figures(1, currency), s.difference(currency))));
        return new WhatIfResult(query.from(), query.to(), query.programId(),
                query.attribution() == null ? null : query.attribution().name(), query.policy() != null, reported,
                advocates, totals, moved);
    }

    /** Conversions recorded before their event named where they came from take it from their referral. */
    private Conversion complete(Conversion c) {
        Touch t = byReferral.get(c.referralId());
        if (t == null || (c.advocateId() != null && c.programId() != null && c.referredPersonId() != null)) {
            return c;
        }
        return new Conversion(c.referralId(), c.at(), c.position(), c.dealValue(),
                c.advocateId() != null ? c.advocateId() : t.advocateId(),
                c.programId() != null ? c.programId() : t.programId(),
                c.referredPersonId() != null ? c.referredPersonId() : t.referredPersonId());
    }

    /** The first or last referral made for the converted person up to the conversion; the ledger's when none. */
    private Credit credit(Conversion c, WhatIfReport.Attribution rule) {
        List<Touch> touches = c.referredPersonId() == null ? List.of()
                : byPerson.getOrDefault(c.referredPersonId(), List.of()).stream()
                .filter(t -> !t.at().isAfter(c.at())).sorted(IN_ORDER).toList();
        if (touches.isEmpty()) {
            return new Credit(c.referralId(), c.advocateId(), c.programId());
        }
        Touch t = rule == WhatIfReport.Attribution.FIRST_TOUCH ? touches.get(0) : touches.get(touches.size() - 1);
        return new Credit(t.referralId(), t.advocateId(), t.programId());
    }

    /**
     * The rewards the policy would have issued for this conversion, credited as given, as the reward policy saga
     * does: nothing without a program and an advocate; the advocate's conversion count in the program; caps.
     */
    private static List<Issued> replay(Conversion c, Credit credit, RewardPolicy policy, Map<String, Integer> counts,
                                       Map<String, BigDecimal> capsUsed) {
        if (credit.advocateId() == null || credit.programId() == null) {
            return List.of();
        }
        int number = counts.merge(credit.programId() + "\u0000" + credit.advocateId(), 1, Integer::sum);
        List<Issued> out = new ArrayList<>();
        for (RewardPolicy.Promised p : policy.rewardsFor(c.dealValue(), c.referredPersonId() != null, number)) {
            RewardRule rule = p.rule();
            Money asked = p.amount();
            String lifetimeKey = String.join("\u0000", credit.programId(), credit.advocateId(), p.side().name(),
                    asked.currency());
            String monthKey = lifetimeKey + "\u0000" + RewardCaps.month(c.at());
            BigDecimal lifetimeUsed = capsUsed.getOrDefault(lifetimeKey, BigDecimal.ZERO);
            BigDecimal monthUsed = capsUsed.getOrDefault(monthKey, BigDecimal.ZERO);
            BigDecimal room = RewardCaps.room(asked.amount(), lifetimeUsed, rule.lifetimeCapPerAdvocate(), monthUsed,
                    rule.monthlyCapPerAdvocate());
            if (room.signum() <= 0) {
                continue; // the cap is reached: the ledger would have refused this reward
            }
            capsUsed.put(lifetimeKey, lifetimeUsed.add(room));
            capsUsed.put(monthKey, monthUsed.add(room));
            out.add(new Issued(c.referralId(), p.side(),
                    new Money(room.setScale(Math.max(asked.amount().scale(), 0), RoundingMode.DOWN), asked.currency())));
        }
        return out;
    }

    private static void add(Map<Key, Sums> sums, int i, String advocateId, Money dealValue, List<Issued> rewards) {
        String dealCurrency = dealValue == null ? null : dealValue.currency();
        Sums deal = sums.computeIfAbsent(new Key(advocateId, dealCurrency), k -> new Sums());
        deal.conversions[i]++;
        if (dealValue != null) {
            deal.revenue[i] = deal.revenue[i].add(dealValue.amount());
        }
        for (Issued r : rewards) {
            Sums s = sums.computeIfAbsent(new Key(advocateId, r.amount().currency()), k -> new Sums());
            s.rewards[i] = s.rewards[i].add(r.amount().amount());
        }
    }

}
