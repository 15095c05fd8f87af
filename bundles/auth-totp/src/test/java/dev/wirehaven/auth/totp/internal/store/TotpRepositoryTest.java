package dev.wirehaven.auth.totp.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.auth.totp.internal.codes.Totp;
import dev.wirehaven.auth.totp.internal.crypto.SecretCipher;
import dev.wirehaven.server.support.store.OnEveryDatabase;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@OnEveryDatabase
class TotpRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Totp TOTP = new Totp(Totp.Algorithm.SHA1, 6, 30);
    private static final SecretCipher.Sealed SEALED =
            new SecretCipher.Sealed("c2VhbGVkIHNlY3JldA==", "bm9uY2Ugb25lIQ==");
    private static final SecretCipher.Sealed RESEALED = new SecretCipher.Sealed("b3RoZXIgc2VjcmV0", "bm9uY2UgdHdvIQ==");

    private final TestDatabase db;
    private final TotpRepository repository;

    TotpRepositoryTest(TestDatabase.Engine engine) {
        db = TestDatabase.migrated(engine, TotpSchema.TRACK);
        repository = new TotpRepository(db.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private void enrollConfirmed(String user, long step) {
        assertEquals(TotpRepository.Enrolled.CREATED, repository.enroll(StoredSecret.enrolled(user, SEALED, TOTP, T0)));
        assertTrue(repository.confirm(user, SEALED.nonce(), step, T1));
    }

    @Test
    void storesAndReadsBackAnUnconfirmedEnrollment() {
        assertEquals(Optional.empty(), repository.find("alice"));
        assertFalse(repository.anySecret());

        assertEquals(
                TotpRepository.Enrolled.CREATED, repository.enroll(StoredSecret.enrolled("alice", SEALED, TOTP, T0)));

        StoredSecret read = repository.find("alice").orElseThrow();
        assertEquals(new StoredSecret("alice", SEALED, TOTP, false, StoredSecret.NO_STEP, T0, null), read);
        assertTrue(repository.anySecret());
        assertTrue(repository.find("Alice").isEmpty(), "names are case-sensitive");
    }

    @Test
    void anUnconfirmedEnrollmentIsReplacedAConfirmedOneIsNot() {
        repository.enroll(StoredSecret.enrolled("alice", SEALED, TOTP, T0));
        assertEquals(
                TotpRepository.Enrolled.REPLACED,
                repository.enroll(StoredSecret.enrolled("alice", RESEALED, TOTP, T1)));
        assertEquals(RESEALED, repository.find("alice").orElseThrow().sealed());

        assertTrue(repository.confirm("alice", RESEALED.nonce(), 100, T1));
        assertEquals(
                TotpRepository.Enrolled.ALREADY_CONFIRMED,
                repository.enroll(StoredSecret.enrolled("alice", SEALED, TOTP, T1)));
        assertEquals(RESEALED, repository.find("alice").orElseThrow().sealed(), "unchanged");
    }

    @Test
    void confirmingRecordsTheStepAndHappensOnce() {
        repository.enroll(StoredSecret.enrolled("alice", SEALED, TOTP, T0));

        assertFalse(repository.confirm("alice", RESEALED.nonce(), 100, T1), "another enrollment's nonce");
        assertTrue(repository.confirm("alice", SEALED.nonce(), 100, T1));
        assertFalse(repository.confirm("alice", SEALED.nonce(), 101, T1), "confirmed already");

        StoredSecret read = repository.find("alice").orElseThrow();
        assertTrue(read.confirmed());
        assertEquals(100, read.lastStep());
        assertEquals(T1, read.confirmedAt());
    }

    @Test
    void aStepIsAcceptedOnlyWhenItIsNewerThanTheLastOne() {
        enrollConfirmed("alice", 100);

        assertFalse(repository.acceptStep("alice", SEALED.nonce(), 100), "the confirming step");
        assertTrue(repository.acceptStep("alice", SEALED.nonce(), 101));
        assertFalse(repository.acceptStep("alice", SEALED.nonce(), 101), "replayed");
        assertFalse(repository.acceptStep("alice", SEALED.nonce(), 99), "older");
        assertTrue(repository.acceptStep("alice", SEALED.nonce(), 103));
        assertFalse(repository.acceptStep("alice", RESEALED.nonce(), 104), "another enrollment's nonce");
        assertEquals(103, repository.find("alice").orElseThrow().lastStep());
    }

    @Test
    void anUnconfirmedEnrollmentAcceptsNoStep() {
        repository.enroll(StoredSecret.enrolled("alice", SEALED, TOTP, T0));
        assertFalse(repository.acceptStep("alice", SEALED.nonce(), 5));
    }

    @Test
    void ofTwoConcurrentAcceptancesOfOneStepExactlyOneSucceeds() throws Exception {
        enrollConfirmed("alice", 100);
        for (long step = 101; step < 121; step++) {
            long s = step;
            assertEquals(1, concurrently(() -> repository.acceptStep("alice", SEALED.nonce(), s)), "step " + s);
        }
    }

    @Test
    void aBackupCodeIsUsedOnceAndOnlyByItsUser() {
        enrollConfirmed("alice", 100);
        enrollConfirmed("bob", 100);
        assertTrue(repository.replaceBackupCodes("alice", List.of(hash(1), hash(2), hash(3)), T1));
        assertEquals(3, repository.backupCodesLeft("alice"));

        assertFalse(repository.useBackupCode("bob", hash(1)), "not bob's");
        assertTrue(repository.useBackupCode("alice", hash(1)));
        assertFalse(repository.useBackupCode("alice", hash(1)), "used already");
        assertFalse(repository.useBackupCode("alice", hash(9)), "never issued");
        assertEquals(2, repository.backupCodesLeft("alice"));
        assertEquals(0, repository.backupCodesLeft("bob"));
    }

    @Test
    void aNewSetOfBackupCodesReplacesTheOldOne() {
        enrollConfirmed("alice", 100);
        repository.replaceBackupCodes("alice", List.of(hash(1), hash(2)), T0);

        assertTrue(repository.replaceBackupCodes("alice", List.of(hash(3), hash(4), hash(5)), T1));

        assertFalse(repository.useBackupCode("alice", hash(1)));
        assertTrue(repository.useBackupCode("alice", hash(3)));
        assertEquals(2, repository.backupCodesLeft("alice"));
    }

    @Test
    void backupCodesNeedAConfirmedAuthenticator() {
        assertFalse(repository.replaceBackupCodes("alice", List.of(hash(1)), T0), "not enrolled");
        repository.enroll(StoredSecret.enrolled("alice", SEALED, TOTP, T0));
        assertFalse(repository.replaceBackupCodes("alice", List.of(hash(1)), T0), "not confirmed");
        assertEquals(0, repository.backupCodesLeft("alice"));
    }

    @Test
    void aBackupCodeIsUselessOnceTheAuthenticatorIsGoneAndNeverComesBack() throws Exception {
        enrollConfirmed("alice", 100);
        repository.replaceBackupCodes("alice", List.of(hash(1), hash(2)), T0);
        // a code left behind by a removal that raced a new set (the table holds it without an authenticator)
        assertTrue(repository.remove("alice"));
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO totp_backup_codes (user_name, code_hash, created_at)" + " VALUES ('alice', '"
                    + hash(2) + "', CURRENT_TIMESTAMP)");
        }
        assertFalse(repository.useBackupCode("alice", hash(2)), "no authenticator");

        repository.enroll(StoredSecret.enrolled("alice", RESEALED, TOTP, T1));
        assertTrue(repository.confirm("alice", RESEALED.nonce(), 200, T1));
        assertFalse(repository.useBackupCode("alice", hash(2)), "a new enrollment deletes earlier codes");
        assertEquals(0, repository.backupCodesLeft("alice"));
    }

    @Test
    void ofTwoConcurrentUsesOfOneBackupCodeExactlyOneSucceeds() throws Exception {
        enrollConfirmed("alice", 100);
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hashes.add(hash(i));
        }
        repository.replaceBackupCodes("alice", hashes, T0);
        for (String h : hashes) {
            assertEquals(1, concurrently(() -> repository.useBackupCode("alice", h)));
        }
        assertEquals(0, repository.backupCodesLeft("alice"));
    }

    @Test
    void removesTheAuthenticatorWithItsBackupCodes() {
        enrollConfirmed("alice", 100);
        repository.replaceBackupCodes("alice", List.of(hash(1)), T0);
        enrollConfirmed("bob", 100);

        assertTrue(repository.remove("alice"));

        assertTrue(repository.find("alice").isEmpty());
        assertEquals(0, repository.backupCodesLeft("alice"));
        assertFalse(repository.remove("alice"));
        assertTrue(repository.find("bob").isPresent());
    }

    @Test
    void reportsABrokenStoreWithWhatWasBeingDone() throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE totp_secrets");
        }
        StoreException e = assertThrows(StoreException.class, () -> repository.find("alice"));
        assertTrue(e.getMessage().startsWith("Cannot read the authenticator of alice"), e.getMessage());
    }

    private static String hash(int i) {
        return String.format("%064x", i);
    }

    /** Runs {@code call} on two threads released at the same moment; how many answered true. */
    private static int concurrently(Callable<Boolean> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            Callable<Boolean> racer = () -> {
                start.await(10, TimeUnit.SECONDS);
                return call.call();
            };
            Future<Boolean> one = pool.submit(racer);
            Future<Boolean> two = pool.submit(racer);
            return (one.get(30, TimeUnit.SECONDS) ? 1 : 0) + (two.get(30, TimeUnit.SECONDS) ? 1 : 0);
        } finally {
            pool.shutdownNow();
        }
    }
}
