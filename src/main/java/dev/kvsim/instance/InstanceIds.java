package dev.kvsim.instance;

import java.security.SecureRandom;

/** Instance IDs as the service shapes them: {@code r-} and 18 lower-case alphanumerics. */
public final class InstanceIds {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private InstanceIds() {
    }

    public static String newInstanceId() {
        return "r-" + random(18);
    }

    /** The nodes' own password, known only to kvsim. */
    public static String newInternalPassword() {
        return random(32);
    }

    private static String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
