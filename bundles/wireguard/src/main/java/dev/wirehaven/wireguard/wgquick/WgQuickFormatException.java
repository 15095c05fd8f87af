package dev.wirehaven.wireguard.wgquick;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A wg-quick file that could not be read, with every problem found (not just the first), in
 * file order; the message has one problem per line.
 */
public final class WgQuickFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<WgQuickProblem> problems;

    WgQuickFormatException(List<WgQuickProblem> found) {
        this(
                found.stream()
                        .sorted(Comparator.comparingInt(WgQuickProblem::line))
                        .toList(),
                true);
    }

    private WgQuickFormatException(List<WgQuickProblem> inFileOrder, boolean sorted) {
        super(inFileOrder.stream().map(WgQuickProblem::toString).collect(Collectors.joining("\n")));
        this.problems = inFileOrder;
    }

    /** The problems in file order (a missing key is reported at its section's header line). */
    public List<WgQuickProblem> problems() {
        return problems;
    }
}
