package dev.wirehaven.interfaces.internal.wireguard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code nft} that runs nothing: it records each call and can be told that it is not installed,
 * that its next call fails, or what {@code nft list chains} prints.
 */
final class RecordingNft implements Nft {

    /** One call: the arguments, and standard input ({@code null} for none). */
    record Call(List<String> args, String stdin) {}

    private final List<Call> calls = new ArrayList<>();
    private boolean installed = true;
    private String failNext;
    private String chains = "";

    @Override
    public synchronized boolean isInstalled() {
        return installed;
    }

    @Override
    public synchronized String run(List<String> args, String stdin) throws IOException {
        calls.add(new Call(List.copyOf(args), stdin));
        if (failNext != null) {
            String message = failNext;
            failNext = null;
            throw new IOException(message);
        }
        return args.equals(List.of("list", "chains")) ? chains : "";
    }

    synchronized void installed(boolean value) {
        installed = value;
    }

    /** The next call fails with {@code message}, as HostCommand reports a failing program. */
    synchronized void failNext(String message) {
        failNext = message;
    }

    synchronized void listChainsPrints(String text) {
        chains = text;
    }

    /** The calls so far, without those that only list chains. */
    synchronized List<Call> changes() {
        return calls.stream()
                .filter(c -> !c.args().equals(List.of("list", "chains")))
                .toList();
    }

    synchronized void clear() {
        calls.clear();
    }
}
