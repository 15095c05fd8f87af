package dev.wirehaven.api.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void stepUpMustNameAMethodAndOtherVerdictsMustNot() {
        assertThrows(IllegalArgumentException.class, () -> Decision.stepUp(List.of(), "needs totp", MINUTE));
        assertThrows(IllegalArgumentException.class, () -> new Decision(Verdict.ALLOW, "ok", MINUTE, List.of("totp")));
    }

    @Test
    void stepUpMethodsAreCopied() {
        List<String> methods = new ArrayList<>(List.of("totp"));
        Decision d = Decision.stepUp(methods, "admin network", MINUTE);
        methods.clear();
        assertEquals(List.of("totp"), d.stepUpMethods());
    }

    @Test
    void aNegativeTimeToLiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Decision.allow("ok", Duration.ofSeconds(-1)));
    }

    @Test
    void allowDenyAndStepUpNeedAReasonButNotApplicableDoesNot() {
        assertThrows(IllegalArgumentException.class, () -> Decision.deny(" ", MINUTE));
        Decision na = Decision.notApplicable();
        assertEquals(Verdict.NOT_APPLICABLE, na.verdict());
        assertEquals(Duration.ZERO, na.timeToLive());
    }
}
