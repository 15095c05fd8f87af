package dev.wirehaven.client.internal.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;

/**
 * A person at a terminal: where the command line asks its questions (credentials, whether to trust a
 * server) and shows what the person must do (an approval). {@link #interactive()} is the console when
 * there is one; tests give their own. Whatever a caller passes comes from {@link SafeText} when the
 * server had a hand in it: this class writes what it is given.
 */
interface Terminal {

    /** Asks {@code prompt} and reads one line with echo; {@code null} at the end of input. */
    String readLine(String prompt);

    /** Asks {@code prompt} and reads one line without echo; {@code null} at the end of input. */
    char[] readSecret(String prompt);

    /** Writes one line. */
    void println(String line);

    /**
     * The console when standard input and output are a terminal, else {@code null}. Up to JDK 21
     * {@link System#console()} is {@code null} otherwise; from JDK 22 it returns a console even for
     * redirected streams and {@code Console.isTerminal()} tells (called reflectively: this code is
     * compiled for Java 17).
     */
    static Terminal interactive() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console) ? of(console) : null;
        } catch (NoSuchMethodException e) {
            return of(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The console as a terminal; the prompt is an argument of "%s", never a format of its own. */
    static Terminal of(Console console) {
        return new Terminal() {
            @Override
            public String readLine(String prompt) {
                return console.readLine("%s", prompt);
            }

            @Override
            public char[] readSecret(String prompt) {
                return console.readPassword("%s", prompt);
            }

            @Override
            public void println(String line) {
                PrintWriter w = console.writer();
                w.println(line);
                w.flush();
            }
        };
    }
}
