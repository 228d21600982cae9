package dev.kvsim.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * How kvsim keeps the instances' and accounts' passwords, which it only has to check: a salted
 * SHA-256, {@code sha256:<salt hex>:<digest hex>}, never the password itself.
 *
 * <p>Why not a deliberately slow hash (PBKDF2, bcrypt): the proxy checks {@code AUTH} on its event
 * loop, for every connection of a pool; a hash costing milliseconds would let any client that has
 * not even authenticated stall every connection of the instance by sending wrong passwords. The
 * engine itself keeps its users' passwords as SHA-256 for the same reason. The store holding the
 * hashes is its owner's alone (0600 in a 0700 data directory).
 */
public final class PasswordHash {

    private static final String PREFIX = "sha256:";
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private PasswordHash() {
    }

    /** A new salted hash of the password; null for null (a password-free instance). */
    public static String of(String password) {
        if (password == null) {
            return null;
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return PREFIX + HEX.formatHex(salt) + ":" + HEX.formatHex(digest(salt, password));
    }

    /** Whether the candidate is the password the stored hash was made of; false when either is null. */
    public static boolean matches(String stored, String candidate) {
        if (stored == null || candidate == null || !isHash(stored)) {
            return false;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        byte[] salt = HEX.parseHex(stored, PREFIX.length(), colon);
        byte[] expected = HEX.parseHex(stored, colon + 1, stored.length());
        return MessageDigest.isEqual(expected, digest(salt, candidate));
    }

    /** Whether the value has this class's form (the store's upgrade hashes what does not). */
    public static boolean isHash(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            return false;
        }
        int colon = value.indexOf(':', PREFIX.length());
        return colon == PREFIX.length() + 2 * SALT_BYTES && value.length() == colon + 1 + 64
                && value.substring(PREFIX.length()).replace(":", "").chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static byte[] digest(byte[] salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
