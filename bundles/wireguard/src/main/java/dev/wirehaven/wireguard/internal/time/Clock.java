package dev.wirehaven.wireguard.internal.time;

/**
 * The only source of time for protocol code, so that timers, rate limits and timestamps can be
 * tested with a controlled clock instead of sleeping.
 */
public interface Clock {

    /** Monotonic nanoseconds, for intervals (timers, rate limits); unrelated to wall time. */
    long nanoTime();

    /** Wall-clock nanoseconds since the Unix epoch, for TAI64N timestamps and reported handshake times. */
    long epochNanos();

    /** The system clock. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochNanos() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    };
}
