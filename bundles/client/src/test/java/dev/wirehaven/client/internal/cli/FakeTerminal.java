package dev.wirehaven.client.internal.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A person at a terminal who gives the answers the test wrote, in order; what was shown is kept. */
final class FakeTerminal implements Terminal {

    private final Deque<String> answers;
    private final List<String> shown = new ArrayList<>();
    private final List<String> secretPrompts = new ArrayList<>();

    FakeTerminal(String... answers) {
        this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public synchronized String readLine(String prompt) {
        shown.add(prompt);
        return answers.poll();
    }

    @Override
    public synchronized char[] readSecret(String prompt) {
        shown.add(prompt);
        secretPrompts.add(prompt);
        String a = answers.poll();
        return a == null ? null : a.toCharArray();
    }

    @Override
    public synchronized void println(String line) {
        shown.add(line);
    }

    /** Everything shown: questions and lines, one per entry. */
    synchronized List<String> shown() {
        return List.copyOf(shown);
    }

    /** The questions asked without echo. */
    synchronized List<String> secretPrompts() {
        return List.copyOf(secretPrompts);
    }

    synchronized String all() {
        return String.join("\n", shown);
    }
}
