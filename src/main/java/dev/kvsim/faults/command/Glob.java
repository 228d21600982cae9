package dev.kvsim.faults.command;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A key glob with the engine's own syntax ({@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]},
 * {@code \} escapes), matched against a key's bytes.
 */
public final class Glob {

    private final Pattern pattern;

    private Glob(Pattern pattern) {
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException when a character class is not closed */
    public static Glob of(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    } else {
                        re.append("\\\\");
                    }
                }
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("match.keyPattern has an unclosed '[': " + glob);
                    }
                    String body = glob.substring(i + 1, end);
                    re.append('[');
                    if (body.startsWith("^")) {
                        re.append('^');
                        body = body.substring(1);
                    }
                    for (char b : body.toCharArray()) {
                        if ("\\[]^&".indexOf(b) >= 0) {
                            re.append('\\');
                        }
                        re.append(b);
                    }
                    re.append(']');
                    i = end;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matches(byte[] key) {
        // ISO-8859-1 maps every byte to one char, so binary keys match byte for byte
        return pattern.matcher(new String(key, StandardCharsets.ISO_8859_1)).matches();
    }
}
