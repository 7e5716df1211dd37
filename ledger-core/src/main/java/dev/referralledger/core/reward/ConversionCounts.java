package dev.referralledger.core.reward;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import org.axonframework.commandhandling.CommandHandler;

import java.math.BigDecimal;

/**
 * Handles {@link CountConversion} in the command's transaction: the referral's claim makes a re-delivered
 * conversion answer its first number, and the advocate's counter row is locked, so concurrent conversions get
 * distinct numbers and each milestone is reached by exactly one of them.
 */
public class ConversionCounts {

    private final Lookups lookups;

    public ConversionCounts(Lookups lookups) {
        this.lookups = lookups;
    }

    @CommandHandler
    public Integer handle(CountConversion cmd) {
        Lookups.Entry counted = lookups.claim(cmd.tenantId(), LookupKind.CONVERSION_COUNTED, cmd.referralId(),
                cmd.referralId(), cmd.programId(), null, null);
        if (!counted.claimedNow()) {
            return counted.detail() == null ? null : Integer.valueOf(counted.detail());
        }
        String key = "conversions:" + cmd.programId() + ":" + cmd.advocateId();
        BigDecimal before = lookups.lockCounter(cmd.tenantId(), key);
        lookups.addToCounter(cmd.tenantId(), key, BigDecimal.ONE);
        int number = before.intValue() + 1;
        lookups.put(cmd.tenantId(), LookupKind.CONVERSION_COUNTED, cmd.referralId(), cmd.referralId(), cmd.programId(),
                Integer.toString(number));
        return number;
    }
}
