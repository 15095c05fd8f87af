package dev.wirehaven.policy.acl.internal.engine;

/**
 * What one read of the policy file found. {@link #key()} tells states apart, so that the watcher acts
 * (and logs) once per distinct state, not on every poll.
 */
sealed interface FileState {

    /** Equal for the same state: the same content, the same refusal, or missing. */
    String key();

    /** There is no file. */
    record Missing() implements FileState {
        @Override
        public String key() {
            return "missing";
        }
    }

    /**
     * The file is there but is not used: unsafe, unreadable, too large or not text.
     *
     * @param problem what is wrong, naming the file
     * @param fix what the operator does about it
     */
    record Refused(String problem, String fix) implements FileState {
        @Override
        public String key() {
            return "refused: " + problem;
        }

        @Override
        public String toString() {
            return problem + "; " + fix;
        }
    }

    /**
     * The file's text.
     *
     * @param text the content
     * @param sha256 the content's SHA-256 in hex
     */
    record Content(String text, String sha256) implements FileState {
        @Override
        public String key() {
            return "content: " + sha256;
        }
    }
}
