package dev.kvsim.proxy;

import dev.kvsim.cluster.HashSlots;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.commands.KeySpecs;
import dev.kvsim.commands.VersionRules;
import dev.kvsim.faults.command.CommandEffects;
import dev.kvsim.faults.command.CommandFault;
import dev.kvsim.faults.command.CommandView;
import dev.kvsim.faults.model.FaultSet;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The service's rules for each command a client sends, the same for standard and cluster
 * sessions: authentication first (AUTH in its three forms, HELLO with AUTH, QUIT; anything else
 * gets NOAUTH), then command faults, what the instance's engine major version lacks (the release's
 * own answer, {@link VersionRules}), reserved and disabled commands, and the commands the proxy
 * answers itself (CONFIG SET, accepted and ignored). The session does what the {@link Verdict}
 * says; how it forwards, routes and orders replies is its own.
 */
public final class CommandGate implements CommandEffects<CommandGate.Verdict> {

    /** What a session does with one command. */
    public sealed interface Verdict permits Pass, Refuse, Answer, Fail, Delay, Close, Login, Hello {
    }

    /** The session runs it: forwards it to the engine or routes it. */
    public record Pass() implements Verdict {
    }

    /** An error in place of running it, as the engine refuses before queuing: inside MULTI, EXEC then aborts. */
    public record Refuse(Buffer reply) implements Verdict {
    }

    /** The proxy's own result for the command (inside MULTI it is queued and comes back in EXEC's reply). */
    public record Answer(Buffer reply) implements Verdict {
    }

    /**
     * The engine of the instance's version would run the command and fail (a syntax error, an argument it
     * lacks): the client reads this error, inside MULTI in its place in EXEC's reply, and the transaction runs.
     */
    public record Fail(Buffer reply) implements Verdict {
    }

    /** A delay fault: run it this much later; the client's later commands wait behind it. */
    public record Delay(long ms) implements Verdict {
    }

    /** This reply, then the connection closes (QUIT). */
    public record Close(Buffer reply) implements Verdict {
    }

    /** AUTH succeeded: from now the connection runs as this engine user (the client is owed +OK). */
    public record Login(String engineUser) implements Verdict {
    }

    /**
     * HELLO: when it carried AUTH, the connection runs as {@code engineUser} (null: unchanged).
     * {@code forward} is the command without its AUTH clause; {@code protover} and {@code clientName}
     * (SETNAME) are null when not given.
     */
    public record Hello(String engineUser, String protover, String clientName, List<byte[]> forward) implements Verdict {
    }

    public static final Verdict PASS = new Pass();
    private static final Verdict QUIT = new Close(Resp.OK);
    private static final Verdict CONFIG_SET_IGNORED = new Answer(Resp.OK);

    private final InstanceProxy proxy;
    /** Whether the proxy itself speaks the protocol (a cluster's, by its policy); else the engine decides. */
    private final boolean proxyProtocol;
    /** The proxy's own commands (lower case): the engine's version does not judge them. */
    private final Set<String> proxyCommands;

    /**
     * @param proxyProtocol true when the proxy speaks RESP itself (a cluster instance: HELLO 3 only with
     *                      {@code proxy_resp3_enable}); false when the engine behind decides
     * @param proxyCommands the commands the proxy answers as its own (a cluster's CLUSTER, IINFO, ISCAN)
     */
    public CommandGate(InstanceProxy proxy, boolean proxyProtocol, Set<String> proxyCommands) {
        this.proxy = proxy;
        this.proxyProtocol = proxyProtocol;
        this.proxyCommands = proxyCommands;
    }

    /**
     * @param authenticated whether the connection has logged in (or needs not)
     * @param faults false for a command a delay fault already held back (it runs now, as it is)
     */
    public Verdict check(RespCommand cmd, boolean authenticated, boolean faults) {
        InstancePolicy policy = proxy.policy();
        String name = cmd.name();
        if (!authenticated) {
            Verdict tooNew = name.equals("quit") ? null : versionRefusal(cmd, policy);
            Verdict v = switch (name) {
                case "auth" -> tooNew != null ? tooNew : auth(cmd, policy);
                case "hello" -> tooNew != null ? tooNew : hello(cmd, policy, false);
                case "quit" -> QUIT;
                case "reset" -> tooNew != null ? tooNew : PASS;  // as on the engine, RESET needs no authentication
                default -> new Refuse(Replies.NOAUTH);
            };
            return countedLogin(v);
        }
        Verdict fault = faults ? commandFault(cmd, policy.faults()) : null;
        if (fault instanceof Delay) {
            return fault;  // it is held back before anything else is decided about it
        }
        Verdict tooNew = versionRefusal(cmd, policy);
        if (tooNew != null) {
            return tooNew;
        }
        Buffer refusal = policy.commands().refusal(cmd);
        if (refusal != null) {
            proxy.counters().reservedRefused();
            return new Refuse(refusal);
        }
        if (fault != null) {
            return fault;
        }
        return switch (name) {
            case "auth" -> countedLogin(auth(cmd, policy));
            case "hello" -> countedLogin(hello(cmd, policy, true));
            case "quit" -> QUIT;
            // Parameters change through the API (ModifyInstanceConfig); CONFIG SET is accepted and ignored.
            case "config" -> cmd.argc() >= 4 && cmd.argLower(1).equals("set") ? CONFIG_SET_IGNORED : PASS;
            default -> PASS;
        };
    }

    /**
     * The answer of the instance's release to a command, subcommand or argument it lacks, or null. Before queuing
     * (EXEC then aborts) for an unknown command or a wrong number of arguments, as the release refused them.
     *
     * <p>On every command, so it must cost nothing measurable: on an instance of the engine's own version (the
     * default) a field read; on an older one a lookup of the already parsed name in a prebuilt map and, for the
     * few commands with newer subcommands or arguments, a scan of the command line in place. Nothing is
     * allocated unless the command is refused ({@code bench/run.sh} with {@code OLDER_VERSION} measures it).
     */
    private Verdict versionRefusal(RespCommand cmd, InstancePolicy policy) {
        VersionRules version = policy.version();
        if (!version.emulates() || proxyCommands.contains(cmd.name())) {
            return null;
        }
        VersionRules.Refusal r = version.check(cmd, proxy.routing().keySpecs());
        if (r == null) {
            return null;
        }
        Buffer reply = Resp.error(r.text());
        return r.atQueue() ? new Refuse(reply) : new Fail(reply);
    }

    /** Monitoring counts the requests refused for authentication: NOAUTH, and passwords that do not match. */
    private Verdict countedLogin(Verdict v) {
        Buffer reply = v instanceof Refuse r ? r.reply() : v instanceof Answer a ? a.reply() : null;
        if (reply == Replies.NOAUTH || reply == Replies.HELLO_NOAUTH || reply == Replies.WRONGPASS) {
            proxy.counters().authRefused();
        }
        return v;
    }

    private static Verdict auth(RespCommand cmd, InstancePolicy policy) {
        String engineUser;
        if (cmd.argc() == 2) {
            engineUser = policy.authenticator().checkSingle(cmd.argString(1));
        } else if (cmd.argc() == 3) {
            engineUser = policy.authenticator().checkUser(cmd.argString(1), cmd.argString(2));
        } else {
            return new Answer(Replies.wrongArity("auth"));
        }
        return engineUser == null ? new Answer(Replies.WRONGPASS) : new Login(engineUser);
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]], options in any order; the last AUTH counts, as on the engine. */
    private Verdict hello(RespCommand cmd, InstancePolicy policy, boolean authenticated) {
        String protover = cmd.argc() > 1 ? cmd.argString(1) : null;
        if (proxyProtocol && protover != null && (protover.equals("2") || protover.equals("3"))
                && Integer.parseInt(protover) > policy.clusterProtocol()) {
            return new Refuse(Replies.NOPROTO);  // a proxy without RESP3; other versions get the engine's answer
        }
        List<byte[]> forward = new ArrayList<>();
        forward.add(cmd.arg(0));
        String user = null;
        String pass = null;
        String clientName = null;
        for (int i = 1; i < cmd.argc(); i++) {
            if (i >= 2 && cmd.argLower(i).equals("auth") && i + 2 < cmd.argc()) {
                user = cmd.argString(i + 1);
                pass = cmd.argString(i + 2);
                i += 2;
                continue;
            }
            forward.add(cmd.arg(i));
            if (i >= 2 && cmd.argLower(i).equals("setname") && i + 1 < cmd.argc()) {
                clientName = cmd.argString(++i);
                forward.add(cmd.arg(i));
            }
        }
        String engineUser = null;
        if (user != null) {
            engineUser = policy.authenticator().checkUser(user, pass);
            if (engineUser == null) {
                return new Answer(Replies.WRONGPASS);
            }
        } else if (!authenticated) {
            return new Refuse(Replies.HELLO_NOAUTH);
        }
        return new Hello(engineUser, protover, clientName, forward);
    }

    /**
     * The verdict of the first active command fault that hits the command, or null. Costs one read
     * when no fault is active; only then are the command's keys, shard and flags looked up.
     */
    private Verdict commandFault(RespCommand cmd, FaultSet faults) {
        if (faults.isEmpty() || !CommandFault.anyActive(faults)) {
            return null;
        }
        Routing routing = proxy.routing();
        KeySpecs specs = routing.keySpecs();
        List<byte[]> args = cmd.args();
        int[] positions = specs == null ? null : specs.keyIndexes(cmd.name(), args);
        List<byte[]> keys = positions == null ? List.of() : Arrays.stream(positions).mapToObj(args::get).toList();
        SlotMap slots = routing.slots();
        int shard = slots == null || keys.isEmpty() ? 0 : slots.shardOf(HashSlots.slot(keys.get(0)));
        boolean write = specs != null && specs.hasFlag(cmd.name(), "write");
        boolean read = specs != null && specs.hasFlag(cmd.name(), "readonly");
        CommandFault hit = CommandFault.firstHit(faults, new CommandView(cmd.name(), keys, shard, write, read));
        return hit == null ? null : hit.apply(this);
    }

    @Override
    public Verdict error(String message) {
        return new Refuse(Resp.error(message));
    }

    @Override
    public Verdict delay(long ms) {
        return new Delay(ms);
    }
}
