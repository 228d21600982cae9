package dev.kvsim.proxy;

import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import io.vertx.core.buffer.Buffer;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The commands a client may not run on an instance: reserved to the service (kvsim's
 * {@code kvsim.proxy.reserved-commands}), or disabled by the instance's
 * {@code #no_loose_disabled-commands} parameter. Immutable.
 */
public final class CommandRules {

    private final Set<String> reserved;
    /** Commands with at least one reserved "command|subcommand" entry: their first argument is looked at. */
    private final Set<String> reservedParents;
    private final Set<String> disabled;

    /**
     * @param reserved lower-case command names or {@code command|subcommand} entries
     * @param disabled lower-case command names
     */
    public CommandRules(Set<String> reserved, Set<String> disabled) {
        this.reserved = Set.copyOf(reserved);
        this.reservedParents = reserved.stream().filter(e -> e.contains("|"))
                .map(e -> e.substring(0, e.indexOf('|'))).collect(Collectors.toUnmodifiableSet());
        this.disabled = Set.copyOf(disabled);
    }

    /** The same reserved commands with another set of disabled ones. */
    public CommandRules withDisabled(Set<String> names) {
        return new CommandRules(reserved, names);
    }

    /** The service's answer to a command clients may not run here, or null when it may run. */
    public Buffer refusal(RespCommand cmd) {
        String entry = reservedEntry(cmd);
        if (entry != null) {
            return Resp.error("ERR command " + entry.replace('|', ' ') + " not support for normal user");
        }
        if (!disabled.isEmpty() && disabled.contains(cmd.name())) {
            return Resp.error("ERR command '" + cmd.name().toUpperCase(Locale.ROOT) + "' not support for normal user");
        }
        return null;
    }

    /** The reserved entry the command matches ("debug", "config|rewrite"), or null. */
    String reservedEntry(RespCommand cmd) {
        String name = cmd.name();
        if (reserved.contains(name)) {
            return name;
        }
        if (cmd.argc() < 2 || !reservedParents.contains(name)) {
            return null;
        }
        String pair = name + "|" + cmd.argLower(1);
        return reserved.contains(pair) ? pair : null;
    }
}
