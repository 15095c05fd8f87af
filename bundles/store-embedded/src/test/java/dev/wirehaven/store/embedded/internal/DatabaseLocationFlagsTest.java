package dev.wirehaven.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The db directory's owner-only flags where the file system has no POSIX bits (java.io.File's flags). */
class DatabaseLocationFlagsTest {

    @Test
    void eachPermissionIsTakenFromEveryoneAndGivenBackToTheOwner() throws IOException {
        FlagFile f = new FlagFile(true, true);

        DatabaseLocation.restrictWithFileFlags(f);

        assertEquals(
                List.of(
                        "read everyone false",
                        "write everyone false",
                        "execute everyone false",
                        "read owner true",
                        "write owner true",
                        "execute owner true"),
                f.calls);
    }

    @Test
    void aPermissionThatTheFileSystemDoesNotHaveIsLeftAsItIs() throws IOException {
        FlagFile f = new FlagFile(false, true);

        DatabaseLocation.restrictWithFileFlags(f);

        assertEquals(List.of("read everyone false", "write everyone false", "execute everyone false"), f.calls);
    }

    @Test
    void aPermissionTakenThatCannotBeGivenBackIsAnError() {
        FlagFile f = new FlagFile(true, false);

        assertThrows(IOException.class, () -> DatabaseLocation.restrictWithFileFlags(f));
    }

    /** Records the flag calls instead of making them: taking answers {@code take}, giving back {@code give}. */
    private static final class FlagFile extends File {

        private static final long serialVersionUID = 1L;
        final transient List<String> calls = new ArrayList<>();
        private final boolean take;
        private final boolean give;

        FlagFile(boolean take, boolean give) {
            super("db");
            this.take = take;
            this.give = give;
        }

        private boolean call(String what, boolean allow, boolean ownerOnly) {
            calls.add(what + (ownerOnly ? " owner " : " everyone ") + allow);
            return allow ? give : take;
        }

        @Override
        public boolean setReadable(boolean readable, boolean ownerOnly) {
            return call("read", readable, ownerOnly);
        }

        @Override
        public boolean setWritable(boolean writable, boolean ownerOnly) {
            return call("write", writable, ownerOnly);
        }

        @Override
        public boolean setExecutable(boolean executable, boolean ownerOnly) {
            return call("execute", executable, ownerOnly);
        }
    }
}
