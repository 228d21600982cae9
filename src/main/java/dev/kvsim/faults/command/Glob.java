package dev.kvsim.faults.command;

import java.nio.charset.StandardCharsets;

/**
 * A key glob with the engine's own syntax ({@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]},
 * {@code \} escapes), matched against a key's bytes exactly as the engine's {@code KEYS} matches:
 * this is its {@code stringmatchlen} (util.c, 7.0) over the pattern's UTF-8 bytes, so that a
 * multi-byte character is several bytes, a reversed range is a range, {@code \]} in a class is a
 * {@code ]}, and {@code []} matches nothing. A regex translation gets each of these wrong. The one
 * departure: a {@code [} with no {@code ]} after it is refused, as a typo in the fault's filter.
 */
public final class Glob {

    private final byte[] pattern;

    private Glob(byte[] pattern) {
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException when a character class is not closed */
    public static Glob of(String glob) {
        int open = -1;
        for (int i = 0; i < glob.length(); i++) {
            if (glob.charAt(i) == '\\') {
                i++;
            } else if (glob.charAt(i) == '[') {
                open = i;
            }
        }
        if (open >= 0 && glob.indexOf(']', open + 1) < 0) {
            throw new IllegalArgumentException("match.keyPattern has an unclosed '[': " + glob);
        }
        return new Glob(glob.getBytes(StandardCharsets.UTF_8));
    }

    public boolean matches(byte[] key) {
        return match(0, key, 0, new boolean[1]);
    }

    /**
     * {@code stringmatchlen_impl} with nocase off. {@code skipLonger} is its {@code skipLongerMatches}:
     * once the rest of the pattern matched nowhere after a {@code *}, no earlier {@code *} can help,
     * which keeps patterns such as {@code *a*a*a*b} from taking exponential time.
     */
    private boolean match(int p, byte[] s, int i, boolean[] skipLonger) {
        byte[] pat = pattern;
        int plen = pat.length;
        while (p < plen && i < s.length) {
            switch (pat[p]) {
                case '*' -> {
                    while (p + 1 < plen && pat[p + 1] == '*') {
                        p++;
                    }
                    if (p + 1 == plen) {
                        return true;
                    }
                    for (; i < s.length; i++) {
                        if (match(p + 1, s, i, skipLonger)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> i++;
                case '[' -> {
                    p++;
                    boolean not = p < plen && pat[p] == '^';
                    if (not) {
                        p++;
                    }
                    boolean match = false;
                    while (true) {
                        if (p < plen && pat[p] == '\\' && plen - p >= 2) {
                            p++;
                            match |= pat[p] == s[i];
                        } else if (p < plen && pat[p] == ']') {
                            break;
                        } else if (p >= plen) {
                            p--;  // the class ran to the pattern's end: its last byte closes it
                            break;
                        } else if (plen - p >= 3 && pat[p + 1] == '-') {
                            // the engine compares C chars, signed like Java's bytes
                            int start = Math.min(pat[p], pat[p + 2]);
                            int end = Math.max(pat[p], pat[p + 2]);
                            p += 2;
                            match |= s[i] >= start && s[i] <= end;
                        } else {
                            match |= pat[p] == s[i];
                        }
                        p++;
                    }
                    if (not == match) {
                        return false;
                    }
                    i++;
                }
                case '\\' -> {
                    if (plen - p >= 2) {
                        p++;
                    }
                    if (pat[p] != s[i]) {
                        return false;
                    }
                    i++;
                }
                default -> {
                    if (pat[p] != s[i]) {
                        return false;
                    }
                    i++;
                }
            }
            p++;
            if (i == s.length) {
                while (p < plen && pat[p] == '*') {
                    p++;
                }
                break;
            }
        }
        return p == plen && i == s.length;
    }
}
