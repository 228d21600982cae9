package dev.kvsim.instance;

import java.util.Optional;

/** The service's password rule: 8-32 characters, at least three of upper, lower, digit, special. */
public final class PasswordRules {

    static final String SPECIALS = "!@#$%^&*()_+-=";

    private PasswordRules() {
    }

    /** @return why the password is not acceptable, or empty when it is */
    public static Optional<String> violation(String password) {
        if (password.length() < 8 || password.length() > 32) {
            return Optional.of("The password must be 8 to 32 characters long.");
        }
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        boolean special = false;
        for (char c : password.toCharArray()) {
            if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else if (SPECIALS.indexOf(c) >= 0) {
                special = true;
            } else {
                return Optional.of("The password may contain only letters, digits and " + SPECIALS + "; '" + c + "' is not allowed.");
            }
        }
        int kinds = (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0) + (special ? 1 : 0);
        if (kinds < 3) {
            return Optional.of("The password must contain at least three of: upper-case letters, lower-case letters, digits, "
                    + "special characters (" + SPECIALS + ").");
        }
        return Optional.empty();
    }
}
