package dev.referralledger.core.lookup;

import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

import java.util.List;
import java.util.function.Predicate;

/** Event matchers for fixture tests where a value is generated (ids, codes, tokens). */
public final class Payloads {

    private Payloads() {
    }

    /** Exactly one event, of {@code type}, for which {@code test} holds. */
    public static <T> Matcher<List<org.axonframework.messaging.Message<?>>> onlyEvent(Class<T> type, Predicate<T> test) {
        return Matchers.payloadsMatching(Matchers.exactSequenceOf(payload(type, test), Matchers.andNoMore()));
    }

    /** A value of {@code type} for which {@code test} holds. */
    public static <T> Matcher<Object> payload(Class<T> type, Predicate<T> test) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item) {
                return type.isInstance(item) && test.test(type.cast(item));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a matching " + type.getSimpleName());
            }
        };
    }
}
