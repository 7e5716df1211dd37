package dev.referralledger.core.impression;

/** Where the impression happened: a scanned QR code, a clicked link, the embedded widget, an email or SMS link. */
public enum ImpressionSource {
    QR, LINK, WIDGET, EMAIL, SMS
}
