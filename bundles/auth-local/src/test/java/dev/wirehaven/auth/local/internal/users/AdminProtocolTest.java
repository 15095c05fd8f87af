package dev.wirehaven.auth.local.internal.users;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.auth.local.internal.users.AdminProtocol.MalformedRequest;
import dev.wirehaven.auth.local.internal.users.UserRequest.Operation;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminProtocolTest {

    private static UserRequest roundTrip(UserRequest request) throws Exception {
        byte[] line = AdminProtocol.encode(request);
        assertEquals('\n', line[line.length - 1]);
        byte[] buffer = new byte[AdminProtocol.MAX_REQUEST_BYTES];
        int length = AdminProtocol.readRequest(Channels.newChannel(new ByteArrayInputStream(line)), buffer);
        return AdminProtocol.decode(buffer, length);
    }

    @Test
    void carriesEveryOperation() throws Exception {
        for (Operation o : Operation.values()) {
            UserRequest sent = new UserRequest(o, o.named ? "alice" : null, o.withPassword ? "pw".toCharArray() : null);
            UserRequest got = roundTrip(sent);
            assertEquals(o, got.operation());
            assertEquals(sent.name(), got.name());
            if (o.withPassword) {
                assertArrayEquals(sent.password(), got.password());
            } else {
                assertNull(got.password());
            }
        }
    }

    @Test
    void carriesNamesAndPasswordsInAnyScriptAndPasswordsWithTabs() throws Exception {
        UserRequest got = roundTrip(new UserRequest(Operation.ADD, "Jürgen Groß", "tab\there ☃ 密码".toCharArray()));
        assertEquals("Jürgen Groß", got.name());
        assertEquals("tab\there ☃ 密码", new String(got.password()));
    }

    @Test
    void neverPrintsThePassword() {
        UserRequest request = new UserRequest(Operation.RESET, "alice", "s3cret".toCharArray());
        assertEquals("user reset alice", request.toString());
        request.clear();
        assertArrayEquals(new char[6], request.password());
    }

    @Test
    void refusesRequestsOutsideTheProtocol() {
        assertMalformed("shell\tls", "unknown operation 'shell'");
        assertMalformed("add", "add needs a user name");
        assertMalformed("add\talice", "add needs a user name and a password");
        assertMalformed("list\talice", "list takes no arguments");
        assertMalformed("disable", "disable needs a user name");
    }

    @Test
    void refusesARequestThatIsNotUtf8() {
        byte[] line = {'r', 'e', 'm', 'o', 'v', 'e', '\t', (byte) 0xC3, (byte) 0x28};
        MalformedRequest e = assertThrows(MalformedRequest.class, () -> AdminProtocol.decode(line, line.length));
        assertEquals("the request is not UTF-8", e.getMessage());
    }

    @Test
    void refusesARequestTooLongOrCutShort() {
        byte[] small = new byte[8];
        MalformedRequest tooLong = assertThrows(
                MalformedRequest.class,
                () -> AdminProtocol.readRequest(
                        Channels.newChannel(
                                new ByteArrayInputStream("remove\talice\n".getBytes(StandardCharsets.UTF_8))),
                        small));
        assertEquals("the request is longer than 8 bytes", tooLong.getMessage());
        MalformedRequest cut = assertThrows(
                MalformedRequest.class,
                () -> AdminProtocol.readRequest(
                        Channels.newChannel(new ByteArrayInputStream("list".getBytes(StandardCharsets.UTF_8))),
                        new byte[AdminProtocol.MAX_REQUEST_BYTES]));
        assertEquals("the connection ended before the request did", cut.getMessage());
    }

    @Test
    void answersAListWithOneLinePerUserAndReadsItBack() throws Exception {
        Instant created = Instant.parse("2026-11-25T10:00:00.123456Z");
        List<UserListing> users =
                List.of(new UserListing("alice", false, created), new UserListing("bob", true, created));
        String answer = AdminProtocol.answer(new UserOutcome("2 users.", users));
        assertEquals(
                "user\talice\tno\t2026-11-25T10:00:00.123456Z\nuser\tbob\tyes\t2026-11-25T10:00:00.123456Z\n"
                        + "ok\t2 users.\n",
                answer);
        UserOutcome read = AdminProtocol.readAnswer(new BufferedReader(new StringReader(answer)), true);
        assertEquals(new UserOutcome("2 users.", users), read);
    }

    @Test
    void aRefusalComesBackAsTheServersSentence() {
        String answer = AdminProtocol.refusal("There is no user bob.\nSecond line");
        assertEquals("error\tThere is no user bob. Second line\n", answer);
        UserAdminException e = assertThrows(
                UserAdminException.class,
                () -> AdminProtocol.readAnswer(new BufferedReader(new StringReader(answer)), false));
        assertEquals("There is no user bob. Second line", e.getMessage());
    }

    @Test
    void anAnswerOutsideTheProtocolIsAFailure() {
        UserAdminException garbled = assertThrows(
                UserAdminException.class,
                () -> AdminProtocol.readAnswer(new BufferedReader(new StringReader("HTTP/1.1 200 OK\n")), false));
        assertTrue(garbled.getMessage().startsWith("The server answered something this tool does not understand"));
        UserAdminException none = assertThrows(
                UserAdminException.class,
                () -> AdminProtocol.readAnswer(new BufferedReader(new StringReader("")), false));
        assertTrue(none.getMessage().startsWith("The server closed the admin socket without an answer"));
        assertFalse(none.getMessage().isBlank());
    }

    private static void assertMalformed(String line, String message) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        MalformedRequest e = assertThrows(MalformedRequest.class, () -> AdminProtocol.decode(bytes, bytes.length));
        assertEquals(message, e.getMessage());
    }
}
