package dev.kvsim.faults.command;

import dev.kvsim.faults.model.FaultMatch;
import dev.kvsim.faults.model.FaultSpec;
import dev.kvsim.faults.model.FaultTarget;
import dev.kvsim.faults.model.ProxyFault;
import dev.kvsim.faults.model.FaultSet;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A fault acting on commands in the proxy, before they reach a node: the commands its filter
 * matches, on the shard its target names, each with probability {@code toxicity}.
 */
public abstract class CommandFault extends ProxyFault {

    private final Set<String> commands;
    private final boolean writes;
    private final boolean reads;
    private final Glob keyGlob;

    protected CommandFault(FaultSpec spec) {
        super(spec);
        FaultTarget t = spec.target();
        if (t.proxy() != null || t.namesReplica()) {
            throw new IllegalArgumentException("command faults act on commands to a master: target the instance or a shard"
                    + " (node \"master\"), not " + (t.proxy() != null ? "a proxy" : "a replica") + ".");
        }
        FaultMatch m = spec.match();
        List<String> names = m == null || m.commands() == null ? List.of() : m.commands();
        this.commands = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).filter(n -> !n.startsWith("@"))
                .collect(Collectors.toUnmodifiableSet());
        Set<String> categories = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).filter(n -> n.startsWith("@"))
                .collect(Collectors.toSet());
        categories.removeAll(Set.of("@write", "@read"));
        if (!categories.isEmpty()) {
            throw new IllegalArgumentException("match.commands knows the categories @write and @read; got " + categories + ".");
        }
        this.writes = names.stream().anyMatch(n -> n.equalsIgnoreCase("@write"));
        this.reads = names.stream().anyMatch(n -> n.equalsIgnoreCase("@read"));
        this.keyGlob = m == null || m.keyPattern() == null ? null : Glob.of(m.keyPattern());
    }

    /** Whether this fault hits this command (drawing its toxicity when the filter matches). */
    public boolean hits(CommandView cmd) {
        FaultTarget t = spec().target();
        if (!t.isInstance() && cmd.shard() != t.shardOrZero()) {
            return false;
        }
        boolean nameFilter = !commands.isEmpty() || writes || reads;
        if (nameFilter && !(commands.contains(cmd.name()) || writes && cmd.write() || reads && cmd.readOnly())) {
            return false;
        }
        if (keyGlob != null && cmd.keys().stream().noneMatch(keyGlob::matches)) {
            return false;
        }
        return draw();
    }

    /** What the fault does to a command it hits. */
    public abstract <T> T apply(CommandEffects<T> effects);

    /** Whether any command fault is active: the proxy looks at keys and flags only then. */
    public static boolean anyActive(FaultSet faults) {
        for (var f : faults.active()) {
            if (f instanceof CommandFault) {
                return true;
            }
        }
        return false;
    }

    /** The first active command fault that hits the command, or null. */
    public static CommandFault firstHit(FaultSet faults, CommandView cmd) {
        for (var f : faults.active()) {
            if (f instanceof CommandFault c && c.hits(cmd)) {
                return c;
            }
        }
        return null;
    }
}
