package dev.wirehaven.client.internal.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether a person is at a terminal, which decides where credentials come from. */
final class Terminal {

    private Terminal() {}

    /**
     * The console when standard input and output are a terminal, else {@code null}. Up to JDK 21
     * {@link System#console()} is {@code null} otherwise; from JDK 22 it returns a console even for
     * redirected streams and {@code Console.isTerminal()} tells (called reflectively: this code is
     * compiled for Java 17).
     */
    static Console interactive() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console) ? console : null;
        } catch (NoSuchMethodException e) {
            return console;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
