package dev.wirehaven.wireguard.wgquick;

/**
 * One thing wrong in a wg-quick file, located like a compiler error so that editors can jump to
 * it: {@code wg0.conf:7: PublicKey: <what is wrong>; <how to fix it>}.
 *
 * @param source the file name as the operator knows it
 * @param line   1-based line number
 * @param key    the key or section the problem is about, or {@code null} for a line that is neither
 */
public record WgQuickProblem(String source, int line, String key, String message) {

    @Override
    public String toString() {
        return source + ":" + line + ": " + (key == null ? "" : key + ": ") + message;
    }
}
