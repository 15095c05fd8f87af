package dev.wirehaven.interfaces.internal.wireguard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kernel parameters that interfaces need while they run, written through the files of
 * {@code /proc/sys} (no shell, no {@code sysctl} program) and given back as they were found.
 *
 * <p>One ledger for the whole server: two interfaces that need the same parameter (the global
 * {@code net.ipv4.conf.all.forwarding}, or the forwarding of the one uplink they both masquerade
 * through) hold it together, and it goes back only when the last of them lets go. Only what the
 * server changed goes back: a parameter that already had the value it needs is held but never
 * written, and a parameter that someone else changed while it was held is left as they set it.
 *
 * <p>{@code conf.all.forwarding} (IPv4: the same as {@code net.ipv4.ip_forward}) is special in the
 * kernel: writing it writes the forwarding of every interface. So when it goes back, the
 * per-interface forwarding that other interfaces of the server still hold is written again.
 */
final class Sysctls {

    /** The machine's parameters, shared by every interface of the server. */
    static final Sysctls SYSTEM = new Sysctls(Path.of("/proc/sys"));

    /** A path segment of a parameter: an interface name or a fixed word, never '/', '.' or '..' alone. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    /**
     * A parameter by the directories of its file under {@code /proc/sys}, e.g. {@code net, ipv4,
     * conf, eth0.100, forwarding}; shown as {@code sysctl} shows it, with the dots of an interface
     * name as slashes ({@code net.ipv4.conf.eth0/100.forwarding}).
     */
    record Name(List<String> segments) {

        Name {
            segments = List.copyOf(segments);
            if (segments.isEmpty()) {
                throw new IllegalArgumentException("a parameter has a name");
            }
            for (String segment : segments) {
                if (!SEGMENT.matcher(segment).matches()) {
                    throw new IllegalArgumentException("not a parameter name segment: '" + segment + "'");
                }
            }
        }

        static Name of(String... segments) {
            return new Name(List.of(segments));
        }

        /** {@code net.<family>.conf.<iface>.forwarding}. */
        static Name forwarding(String family, String iface) {
            return of("net", family, "conf", iface, "forwarding");
        }

        /** {@code net.ipv6.conf.<iface>.force_forwarding} (Linux 6.17 and later). */
        static Name forceForwarding(String iface) {
            return of("net", "ipv6", "conf", iface, "force_forwarding");
        }

        /** Whether this is {@code net.<f>.conf.all.<p>}, which the kernel copies to every interface. */
        boolean isAll() {
            return segments.size() == 5 && "conf".equals(segments.get(2)) && "all".equals(segments.get(3));
        }

        /**
         * Whether writing this parameter writes {@code other} too: {@code net.<f>.conf.all.<p>}
         * writes {@code net.<f>.conf.<every interface>.<p>}.
         */
        boolean propagatesTo(Name other) {
            List<String> o = other.segments;
            return segments.size() == 5
                    && o.size() == 5
                    && segments.get(0).equals(o.get(0))
                    && segments.get(1).equals(o.get(1))
                    && "conf".equals(segments.get(2))
                    && "conf".equals(o.get(2))
                    && "all".equals(segments.get(3))
                    && !"all".equals(o.get(3))
                    && segments.get(4).equals(o.get(4));
        }

        @Override
        public String toString() {
            return String.join(
                    ".", segments.stream().map(s -> s.replace('.', '/')).toList());
        }
    }

    /**
     * What holding a parameter did.
     *
     * @param before its value when it was first held (or now, when it was already held)
     * @param changed whether this hold wrote it
     */
    record Hold(Name name, String before, String value, boolean changed) {

        @Override
        public String toString() {
            return changed ? name + "=" + value + " (was " + before + ")" : name + "=" + value + " (already)";
        }
    }

    /** What letting go of a parameter did. */
    record Release(Name name, Outcome outcome, String restored, String found) {

        enum Outcome {
            /** Others still hold it: untouched. */
            STILL_HELD,
            /** Still held by others, and written again after {@code conf.all} went back and wrote it. */
            WRITTEN_AGAIN,
            /** It had its value before the server held it: untouched. */
            NOT_CHANGED,
            /** Written back to the value it had. */
            RESTORED,
            /** Someone else set it meanwhile: left as they set it. */
            CHANGED_BY_OTHERS,
            /** Its file is gone (the interface was removed): nothing to give back. */
            GONE
        }

        @Override
        public String toString() {
            return switch (outcome) {
                case STILL_HELD -> name + " kept (another interface of the server needs it)";
                case WRITTEN_AGAIN -> name + "=" + restored + " again (another interface of the server needs it)";
                case NOT_CHANGED -> name + " left at " + found + " (its value before)";
                case RESTORED -> name + "=" + restored + " (restored)";
                case CHANGED_BY_OTHERS -> name + " left at " + found + " (changed by someone else meanwhile)";
                case GONE -> name + " gone with its interface";
            };
        }
    }

    private static final class Entry {
        final String value;
        /** The value it had when the server wrote it; {@code null} when it had the value already. */
        final String original;

        int holders = 1;

        Entry(String value, String original) {
            this.value = value;
            this.original = original;
        }
    }

    private final Path root;
    /** In the order in which they were first held. */
    private final Map<Name, Entry> held = new LinkedHashMap<>();

    /** The parameters under {@code root} ({@code /proc/sys}, or a directory of a test's). */
    Sysctls(Path root) {
        this.root = root;
    }

    /** Whether the kernel has this parameter (an interface's exist while the interface does). */
    boolean exists(Name name) {
        return Files.exists(file(name));
    }

    /** The parameter's value, trimmed. */
    String read(Name name) throws IOException {
        try {
            return Files.readString(file(name), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new IOException(name + " does not exist (no " + file(name) + ")", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + name + " (" + file(name) + "): " + e.getMessage(), e);
        }
    }

    /**
     * Gives the parameter {@code value} for one more holder, writing it only if it has another value.
     *
     * @throws IOException when it does not exist or cannot be written (no root, a read-only
     *     {@code /proc/sys} in a container); nothing is held then
     * @throws IllegalStateException when it is held with another value
     */
    synchronized Hold hold(Name name, String value) throws IOException {
        Entry entry = held.get(name);
        if (entry != null) {
            if (!entry.value.equals(value)) {
                throw new IllegalStateException(name + " is held at " + entry.value + ", not " + value);
            }
            String now = read(name);
            if (!now.equals(value)) {
                // someone set it back while we held it: this interface needs it too
                write(name, value);
            }
            entry.holders++;
            return new Hold(name, now, value, !now.equals(value));
        }
        String before = read(name);
        if (before.equals(value)) {
            held.put(name, new Entry(value, null));
            return new Hold(name, before, value, false);
        }
        write(name, value);
        held.put(name, new Entry(value, before));
        return new Hold(name, before, value, true);
    }

    /**
     * Lets go of one hold. The last holder gives the parameter its value back if the server changed
     * it and nobody changed it since; after {@code conf.all} went back, the per-interface values that
     * are still held are written again (see the class comment).
     *
     * @return what happened, first for {@code name}, then for each parameter written again
     * @throws IOException when it could not be written back; it is no longer held then
     */
    synchronized List<Release> release(Name name) throws IOException {
        Entry entry = held.get(name);
        if (entry == null) {
            throw new IllegalStateException(name + " is not held");
        }
        if (--entry.holders > 0) {
            return List.of(new Release(name, Release.Outcome.STILL_HELD, null, entry.value));
        }
        held.remove(name);
        if (!exists(name)) {
            return List.of(new Release(name, Release.Outcome.GONE, null, null));
        }
        String now = read(name);
        if (entry.original == null) {
            return List.of(new Release(name, Release.Outcome.NOT_CHANGED, null, now));
        }
        if (now.equals(entry.original)) {
            // back already: conf.all, given back just before, wrote it
            return List.of(new Release(name, Release.Outcome.RESTORED, entry.original, now));
        }
        if (!now.equals(entry.value)) {
            return List.of(new Release(name, Release.Outcome.CHANGED_BY_OTHERS, null, now));
        }
        write(name, entry.original);
        List<Release> done = new ArrayList<>();
        done.add(new Release(name, Release.Outcome.RESTORED, entry.original, now));
        for (Map.Entry<Name, Entry> other : held.entrySet()) {
            Name otherName = other.getKey();
            if (name.propagatesTo(otherName) && exists(otherName)) {
                String value = other.getValue().value;
                if (!read(otherName).equals(value)) {
                    write(otherName, value);
                    done.add(new Release(otherName, Release.Outcome.WRITTEN_AGAIN, value, value));
                }
            }
        }
        return done;
    }

    /** The parameters held now, with the number of holders, for tests and diagnostics. */
    synchronized Map<Name, Integer> held() {
        Map<Name, Integer> counts = new LinkedHashMap<>();
        held.forEach((name, entry) -> counts.put(name, entry.holders));
        return counts;
    }

    private void write(Name name, String value) throws IOException {
        try {
            // no CREATE: a parameter that does not exist is an error, not a new file
            Files.writeString(
                    file(name),
                    value + "\n",
                    StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new IOException(name + " does not exist (no " + file(name) + ")", e);
        } catch (IOException e) {
            throw new IOException("cannot set " + name + "=" + value + " (" + file(name) + "): " + e.getMessage(), e);
        }
    }

    private Path file(Name name) {
        Path file = root;
        for (String segment : name.segments()) {
            file = file.resolve(segment);
        }
        return file;
    }
}
