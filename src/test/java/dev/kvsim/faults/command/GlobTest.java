package dev.kvsim.faults.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key globs match what the engine's KEYS matches. Each expected set below is what
 * redis-server 7.0.15 answered to {@code KEYS <pattern>} with exactly the keys of {@link #KEYS}.
 */
class GlobTest {

    private static final List<String> KEYS = List.of("hello", "hallo", "hxllo", "hllo", "heeeello", "a]", "a\\", "a-",
            "a^", "ab", "a*", "a?", "a[", "a", "café", "caf", "cafe", "x\ny", "h^llo", "h-llo", "aaaab", "aaaa", "a&b", "a.b");

    private static Set<String> matching(String pattern) {
        Glob glob = Glob.of(pattern);
        Set<String> out = new TreeSet<>();
        for (String key : KEYS) {
            if (glob.matches(key.getBytes(StandardCharsets.UTF_8))) {
                out.add(key);
            }
        }
        return out;
    }

    private static void assertKeys(String pattern, String... expected) {
        assertEquals(new TreeSet<>(List.of(expected)), matching(pattern), "KEYS " + pattern);
    }

    @Test
    void wildcards() {
        assertKeys("h?llo", "h-llo", "h^llo", "hallo", "hello", "hxllo");
        assertKeys("h*llo", "h-llo", "h^llo", "hallo", "heeeello", "hello", "hllo", "hxllo");
        assertKeys("a*", "a", "a&b", "a*", "a-", "a.b", "a?", "a[", "a\\", "a]", "a^", "aaaa", "aaaab", "ab");
        assertKeys("*]", "a]");
        assertKeys("*a*a*a*b", "aaaab");
        assertKeys("a?b", "a&b", "a.b");
        // a newline is a byte like any other
        assertKeys("x?y", "x\ny");
        assertKeys("x*", "x\ny");
    }

    @Test
    void characterClasses() {
        assertKeys("h[ae]llo", "hallo", "hello");
        assertKeys("h[^e]llo", "h-llo", "h^llo", "hallo", "hxllo");
        assertKeys("h[a-b]llo", "hallo");
        assertKeys("[a-c]", "a");
        assertKeys("a[^a-z]", "a*", "a-", "a?", "a[", "a\\", "a]", "a^");
        assertKeys("h[-e]llo", "h-llo", "hello");
        assertKeys("h[^-]llo", "h^llo", "hallo", "hello", "hxllo");
        assertKeys("a[&]b", "a&b");
    }

    @Test
    void escapes() {
        assertKeys("a\\*", "a*");
        assertKeys("a\\", "a\\");
        assertKeys("a[\\\\]", "a\\");
        assertKeys("h\\?llo");
        assertKeys("a.b", "a.b");
    }

    @Test
    void theEngineMatchesBytesSoAnAccentedLetterIsTwo() {
        assertKeys("café", "café");
        assertKeys("caf?", "cafe");
        assertKeys("caf??", "café");
        assertKeys("caf[é]");
        assertKeys("caf[é][é]", "café");
    }

    @Test
    void classEdgesAsTheEngineReadsThem() {
        // a reversed range is the same range
        assertKeys("h[b-a]llo", "hallo");
        // "\]" inside a class is a ']'
        assertKeys("a[\\]]", "a]");
        // "[]" is an empty class that matches nothing; "[^]" matches any byte
        assertKeys("a[]]");
        assertKeys("a[]");
        assertKeys("a[^]", "a*", "a-", "a?", "a[", "a\\", "a]", "a^", "ab");
        // "e-]" is a range up to ']', which leaves the class open to the pattern's end
        assertKeys("h[e-]llo");
        assertKeys("h[a-]llo");
        assertKeys("h[?]llo");
    }

    @Test
    void anUnclosedClassIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glob.of("a[b"));
        assertTrue(e.getMessage().startsWith("match.keyPattern has an unclosed '['"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Glob.of("a["));
        assertThrows(IllegalArgumentException.class, () -> Glob.of("a[b]c[d"));
        // an escaped '[' opens nothing
        assertKeys("a\\[", "a[");
        assertKeys("*\\[*", "a[");
    }

    @Test
    void manyStarsThatCannotMatchGiveUpAtOnce() {
        // without the engine's cut-off, 30 stars against 200 bytes take longer than any test run
        Glob g = Glob.of("*a".repeat(30) + "*b");
        byte[] key = "a".repeat(200).getBytes(StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(g.matches(key)));
    }

    @Test
    void binaryKeysMatchByteForByte() {
        byte[] key = {(byte) 0xff, 0x00, 'k'};
        assertTrue(Glob.of("*k").matches(key));
        assertTrue(Glob.of("??k").matches(key));
        assertFalse(Glob.of("?k").matches(key));
    }
}
