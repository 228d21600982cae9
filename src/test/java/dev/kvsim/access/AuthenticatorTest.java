package dev.kvsim.access;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's AUTH forms: {@code AUTH <password>}, {@code AUTH <user>:<password>} and
 * {@code AUTH <user> <password>}, the default account named by the instance ID or {@code default}.
 * The answer is the engine user the connection then runs as, or null for WRONGPASS.
 */
class AuthenticatorTest {

    private static final String ID = "r-bp1zxszhcgatnx1234";
    private static final String PASSWORD = "Passw0rd!";
    private static final String RO_PASSWORD = "Reader0nly!";
    private static final String RW_PASSWORD = "Wr1ter!pass";
    private static final Map<String, Authenticator.Account> ACCOUNTS = Map.of(
            "reporting", new Authenticator.Account("reporting", PasswordHash.of(RO_PASSWORD), "engine-secret-1"),
            "writer", new Authenticator.Account("writer", PasswordHash.of(RW_PASSWORD), "engine-secret-2"));
    private static final ProbeLogin PROBE = new ProbeLogin();

    private final Authenticator locked = new Authenticator(ID, PasswordHash.of(PASSWORD), false, ACCOUNTS, PROBE);
    private final Authenticator free = new Authenticator(ID, PasswordHash.of(PASSWORD), true, ACCOUNTS, PROBE);

    @Test
    void anInstanceWithAPasswordNeedsAuth() {
        assertTrue(locked.required());
    }

    @Test
    void everyFormOfTheDefaultAccount() {
        assertEquals("default", locked.checkSingle(PASSWORD));
        assertEquals("default", locked.checkSingle(ID + ":" + PASSWORD));
        assertEquals("default", locked.checkSingle("default:" + PASSWORD));
        assertEquals("default", locked.checkUser(ID, PASSWORD));
        assertEquals("default", locked.checkUser("default", PASSWORD));
    }

    @Test
    void everyFormOfAnotherAccount() {
        assertEquals("reporting", locked.checkSingle("reporting:" + RO_PASSWORD));
        assertEquals("reporting", locked.checkUser("reporting", RO_PASSWORD));
        assertEquals("writer", locked.checkSingle("writer:" + RW_PASSWORD));
        assertEquals("writer", locked.checkUser("writer", RW_PASSWORD));
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefused() {
        assertNull(locked.checkSingle("Wrong0ne!"));
        assertNull(locked.checkSingle(""));
        assertNull(locked.checkSingle(ID + ":Wrong0ne!"));
        assertNull(locked.checkSingle("default:Wrong0ne!"));
        assertNull(locked.checkUser(ID, "Wrong0ne!"));
        assertNull(locked.checkUser("default", "Wrong0ne!"));
        assertNull(locked.checkUser("someone", PASSWORD), "an unknown user with the instance's password");
        assertNull(locked.checkSingle("r-000000000000000000:" + PASSWORD), "another instance's ID");
        assertNull(locked.checkUser("DEFAULT", PASSWORD), "user names are case-sensitive");
        assertNull(locked.checkSingle("reporting:" + RW_PASSWORD), "another account's password");
        assertNull(locked.checkUser("reporting", PASSWORD), "the instance's password for an account");
        assertNull(locked.checkUser(ID, RO_PASSWORD), "an account's password for the default account");
        assertNull(locked.checkSingle(RO_PASSWORD), "a bare password is the default account's");
        assertNull(locked.checkSingle(PASSWORD + " "));
        assertNull(locked.checkSingle(PASSWORD.substring(1)));
    }

    @Test
    void aPasswordFreeInstanceAdmitsAnyAuthThatNamesNoOtherAccount() {
        assertFalse(free.required());
        assertEquals("default", free.checkSingle("anything"));
        assertEquals("default", free.checkSingle("someone:anything"));
        assertEquals("default", free.checkUser("someone", "anything"));
        assertEquals("default", free.checkUser(ID, "anything"));
        assertEquals("default", free.checkSingle(PASSWORD));
    }

    @Test
    void aPasswordFreeInstanceStillChecksItsAccounts() {
        assertEquals("reporting", free.checkUser("reporting", RO_PASSWORD));
        assertEquals("reporting", free.checkSingle("reporting:" + RO_PASSWORD));
        assertNull(free.checkUser("reporting", "Wrong0ne!"));
        assertNull(free.checkSingle("reporting:Wrong0ne!"), "the user:password form names the account too");
    }

    @Test
    void anInstanceWithoutAPasswordIsPasswordFree() {
        Authenticator none = new Authenticator(ID, null, false, Map.of(), PROBE);
        assertFalse(none.required());
        assertEquals("default", none.checkSingle("anything"));
        assertEquals("default", none.checkUser("default", "anything"));
    }

    @Test
    void kvsimsProbeLogsInAsTheDefaultAccountWithItsOwnSecretOnly() {
        assertEquals("default", locked.checkSingle(PROBE.secret()));
        assertNull(locked.checkSingle(new ProbeLogin().secret()), "another run's secret");
        assertNull(locked.checkUser("reporting", PROBE.secret()), "not an account's password");
        assertTrue(PROBE.secret().length() > 32, "longer than any password the service accepts");
    }

    @Test
    void aPasswordKeptInClearIsNoHashAndChecksNothing() {
        Authenticator clear = new Authenticator(ID, PASSWORD, false, Map.of(), PROBE);
        assertNull(clear.checkSingle(PASSWORD));
        assertNull(clear.checkUser(ID, PASSWORD));
    }

    @Test
    void theNodeConnectionRunsAsTheEngineUserWithItsOwnSecret() {
        assertEquals("kvsim-internal", locked.enginePassword("default", "kvsim-internal"));
        assertEquals("engine-secret-1", locked.enginePassword("reporting", "kvsim-internal"));
        assertEquals("engine-secret-2", locked.enginePassword("writer", "kvsim-internal"));
        assertNull(locked.enginePassword("nobody", "kvsim-internal"));
    }

    @Test
    void laterChangesToTheAccountMapDoNotReachIt() {
        Map<String, Authenticator.Account> accounts = new HashMap<>(ACCOUNTS);
        Authenticator a = new Authenticator(ID, PasswordHash.of(PASSWORD), false, accounts, PROBE);
        accounts.put("late", new Authenticator.Account("late", PasswordHash.of("L4te!pass"), "s"));
        accounts.remove("reporting");
        assertNull(a.checkUser("late", "L4te!pass"));
        assertEquals("reporting", a.checkUser("reporting", RO_PASSWORD));
    }
}
