package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;

/** Asserts that a step is refused with a given failure, and hands the exception over for its message. */
final class FlowAssertions {

    private FlowAssertions() {}

    interface Step {
        Object run() throws Exception;
    }

    static FlowException refused(FlowFailure expected, Step step) {
        FlowException e = assertThrows(FlowException.class, step::run);
        assertEquals(expected, e.failure(), e.getMessage());
        return e;
    }
}
