package dev.referralledger.api.audit;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /admin/verify}: everything an auditor can check, in one answer. Admin token only. */
@RestController
@Tag(name = "Admin")
public class VerifyController {

    private final LedgerVerification verification;

    public VerifyController(LedgerVerification verification) {
        this.verification = verification;
    }

    @PostMapping("/admin/verify")
    public LedgerVerification.Report verify() throws InterruptedException {
        return verification.verify();
    }
}
