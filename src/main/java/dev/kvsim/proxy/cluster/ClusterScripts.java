package dev.kvsim.proxy.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The cluster proxy's Lua rule: every key a script touches through {@code redis.call} or
 * {@code redis.pcall} must be an element of the script's {@code KEYS} array, otherwise the script
 * fails with {@link #KEYS_NOT_IN_KEYS_ARRAY}.
 *
 * <p>The check runs inside the script, at run time, with the engine's own key positions: the proxy
 * sends {@link #wrap(String) the wrapped script} to the engine instead of the user's. Its prelude
 * shadows the global {@code redis} with a local table whose {@code call} and {@code pcall} first ask
 * the engine which arguments are keys ({@code COMMAND GETKEYS <command and args>}), compare them with
 * a snapshot of {@code KEYS} taken when the script starts, and only then delegate to the real
 * function. Every other field of {@code redis} reads through to the original (metatable
 * {@code __index}). A key built by concatenation is caught; a key taken from {@code KEYS} through a
 * local variable passes; movable keys (ZUNIONSTORE, XREAD, GEORADIUS ... STORE, MIGRATE ... KEYS)
 * are found because the engine computes them from the actual arguments.
 *
 * <p>Keyless commands: {@code COMMAND GETKEYS} answers an error for them ("The command has no key
 * arguments", or an arity error for PING/TIME), which means "no keys". Such an error would still
 * count in the engine's {@code INFO errorstats} / {@code total_error_replies}, so the prelude first
 * asks {@code COMMAND INFO <name>} once per command name per run (cached in a table local to the
 * run): a command with first key 0, no key specs and no subcommands is keyless and is delegated
 * without GETKEYS; for a container (OBJECT, MEMORY, XINFO, ...) the {@code name|subcommand} entry
 * decides. An unknown command or subcommand is delegated unchecked (the engine rejects it). If
 * GETKEYS answers an error for a command that has keys (wrong arity, bad numkeys, ...), the call is
 * delegated and the engine answers its own error for the real command.
 *
 * <p>The error reply of a failed check. The prelude raises {@code error({err = KEYS_NOT_IN_KEYS_ARRAY})}
 * from its own function; Redis 7.0's script error handler then appends the script name and the
 * place of the raise, so that EVAL answers exactly
 * <pre>-ERR bad lua script for redis cluster, all the keys that the script uses should be passed using the KEYS array script: &lt;sha1 of the WRAPPED script&gt;, on @user_script:1.</pre>
 * ({@code :2.} when the script starts with a {@code #!lua} shebang line, because the prelude then
 * sits on line 2). {@link #isKeyCheckFailure(String)} recognises it and the proxy answers
 * {@code -}{@link #KEYS_NOT_IN_KEYS_ARRAY} instead. The offending command is never executed: for
 * {@code MSET k 'a' other 'b'} nothing is written.
 *
 * <p>Line numbers. The prelude has no line break and is placed in front of the user's first line
 * (after the shebang line if there is one, which Redis 7 blanks out but counts), so the user's code
 * keeps its line numbers: Lua run-time and compile errors in user code report the same lines as the
 * unwrapped script (shift 0). Errors raised by the engine inside {@code redis.call} (WRONGTYPE,
 * OOM, arity, ...) keep their text but their suffix names the prelude's line ({@code @user_script:1},
 * or {@code :2} after a shebang) instead of the calling line, because the engine reports the Lua
 * function that called the real {@code redis.call}, which is now the prelude's. Every error suffix
 * names the wrapped script's SHA; {@link #withUserSha} puts the user's back.
 *
 * <p>Known limitations (all need deliberate effort from the script):
 * <ul>
 *   <li>Lua's own {@code pcall(redis.call, ...)} catches the failure like any other raised error and
 *       the script continues; the offending command is still not executed.</li>
 *   <li>{@code _G.redis}, {@code rawget(_G, 'redis')} or {@code getfenv().redis} reach the original,
 *       unchecked table.</li>
 *   <li>Assigning the global {@code redis} ({@code redis = x}) assigns the shadowing local instead of
 *       failing with "Attempt to modify a readonly table"; {@code pairs(redis)} lists only
 *       {@code call} and {@code pcall}.</li>
 *   <li>Each checked call costs one extra {@code COMMAND GETKEYS} (and one {@code COMMAND INFO} per new
 *       command name per run), visible in {@code INFO commandstats} as {@code command|getkeys} /
 *       {@code command|info}; and the prelude takes one of the chunk's 200 local slots.</li>
 *   <li>A call that passes {@code redis.call}'s stack limit only by two arguments (about 8,000
 *       arguments) fails in the GETKEYS call instead.</li>
 * </ul>
 */
public final class ClusterScripts {

    public static final String KEYS_NOT_IN_KEYS_ARRAY =
            "ERR bad lua script for redis cluster, all the keys that the script uses should be passed using the KEYS array";

    /**
     * One line of Lua, no line break. {@code local redis = (...)(redis, KEYS);} - in the argument list
     * {@code redis} is still the global, the local only starts after the statement. Only one local
     * is added to the user's chunk; everything else lives inside the function.
     */
    static final String PRELUDE = ("local redis = (function(r, K) "
            + "local inKeys, kind, lower = {}, {}, string.lower "
            + "for i = 1, #K do inKeys[K[i]] = true end "
            // kind[name]: 0 keyless or unknown, 1 has keys (ask GETKEYS), 2 container (look at name|sub)
            + "local function kindOf(n) "
            + "local v = kind[n] "
            + "if v == nil then "
            + "local t = r.pcall('COMMAND', 'INFO', n) "
            + "if type(t) ~= 'table' or t.err then v = 1 "
            + "else t = t[1] "
            + "if type(t) ~= 'table' then v = 0 "
            + "elseif t[4] ~= 0 or type(t[9]) ~= 'table' or #t[9] > 0 then v = 1 "
            + "elseif type(t[10]) == 'table' and #t[10] > 0 then v = 2 "
            + "else v = 0 end end "
            + "kind[n] = v end "
            + "return v end "
            + "local function check(...) "
            + "local a, b = ... "
            + "local ta, tb = type(a), type(b) "
            + "if ta ~= 'string' and ta ~= 'number' then return end "
            + "a = lower(a) "
            + "local v = kindOf(a) "
            + "if v == 2 then "
            + "if tb ~= 'string' and tb ~= 'number' then return end "
            + "v = kindOf(a .. '|' .. lower(b)) end "
            + "if v == 0 then return end "
            + "local ks = r.pcall('COMMAND', 'GETKEYS', ...) "
            + "if type(ks) ~= 'table' or ks.err then return end "
            + "for i = 1, #ks do "
            + "if not inKeys[ks[i]] then error({err = '" + KEYS_NOT_IN_KEYS_ARRAY + "'}) end end end "
            + "return setmetatable({"
            + "call = function(...) check(...) return r.call(...) end, "
            + "pcall = function(...) check(...) return r.pcall(...) end"
            + "}, {__index = r}) "
            + "end)(redis, KEYS); ");

    static {
        if (PRELUDE.indexOf('\n') >= 0 || PRELUDE.indexOf('\r') >= 0) {
            throw new AssertionError("the prelude must stay on one line");
        }
    }

    private static final byte[] PRELUDE_BYTES = PRELUDE.getBytes(StandardCharsets.UTF_8);

    private ClusterScripts() {
    }

    /** The script text the proxy sends to the engine instead of {@code userScript}. */
    public static String wrap(String userScript) {
        return new String(wrap(userScript.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /**
     * The same on the script's bytes, for scripts that are not valid UTF-8 (Lua strings are bytes).
     * A leading {@code #!} shebang line (Redis 7 script flags) stays the first line and the prelude
     * goes at the start of the second line, so that the engine still reads the flags.
     */
    public static byte[] wrap(byte[] userScript) {
        int insertAt = 0;
        byte[] prefix = new byte[0];
        if (userScript.length >= 2 && userScript[0] == '#' && userScript[1] == '!') {
            int nl = indexOf(userScript, (byte) '\n');
            if (nl < 0) {
                // only a shebang line: the body is empty, the prelude goes on a new line
                insertAt = userScript.length;
                prefix = new byte[] {'\n'};
            } else {
                insertAt = nl + 1;
            }
        }
        byte[] out = new byte[userScript.length + prefix.length + PRELUDE_BYTES.length];
        System.arraycopy(userScript, 0, out, 0, insertAt);
        System.arraycopy(prefix, 0, out, insertAt, prefix.length);
        System.arraycopy(PRELUDE_BYTES, 0, out, insertAt + prefix.length, PRELUDE_BYTES.length);
        System.arraycopy(userScript, insertAt, out, insertAt + prefix.length + PRELUDE_BYTES.length,
                userScript.length - insertAt);
        return out;
    }

    /**
     * Whether an error reply (without its leading {@code -}) from EVAL/EVALSHA of a wrapped script is
     * the key check's failure: {@link #KEYS_NOT_IN_KEYS_ARRAY}, alone or followed by what Redis 7
     * appends to errors raised inside scripts, {@code " script: <sha>, on @user_script:<line>."}.
     */
    public static boolean isKeyCheckFailure(String errorReplyWithoutDash) {
        if (errorReplyWithoutDash == null) {
            return false;
        }
        String s = errorReplyWithoutDash.startsWith("-") ? errorReplyWithoutDash.substring(1) : errorReplyWithoutDash;
        return s.equals(KEYS_NOT_IN_KEYS_ARRAY) || s.startsWith(KEYS_NOT_IN_KEYS_ARRAY + " script: ");
    }

    /**
     * An engine error reply of the wrapped script with the user's SHA in Redis 7's
     * {@code " script: <sha>, on ..."} suffix, so that the user sees the SHA of the script they sent.
     */
    public static String withUserSha(String errorReply, String wrappedSha, String userSha) {
        return errorReply.replace(" script: " + wrappedSha + ", on ", " script: " + userSha + ", on ");
    }

    /** The SHA1 the engine gives {@code script} (as SCRIPT LOAD answers it): lower-case hex of its UTF-8 bytes. */
    public static String sha1Hex(String script) {
        return sha1Hex(script.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha1Hex(byte[] script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
