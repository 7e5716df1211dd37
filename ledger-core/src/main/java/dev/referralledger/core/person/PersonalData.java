package dev.referralledger.core.person;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event's component as personal data of a data subject. The event store keeps it encrypted with the
 * subject's own key, so that erasing the person (destroying the key) makes it unreadable in every stored event
 * without rewriting history (crypto-shredding). Read back after erasure, it becomes a marker (see docs/audit.md).
 *
 * <p>The subject is named by a sibling component holding a person id ({@link #subject}); when that is null the
 * data belongs to {@link #fallback} (e.g. the referral id: a referred person who gave neither email nor phone).
 * The record holding the component, or one enclosing it, must have a {@code tenantId} component.</p>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface PersonalData {

    /** The component holding the data subject's person id. */
    String subject();

    /** The component naming the subject when {@link #subject} is null; empty for none. */
    String fallback() default "";

    /** What a string of erased personal data reads as. */
    String ERASED = "[erased]";
}
