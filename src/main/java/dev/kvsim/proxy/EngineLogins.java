package dev.kvsim.proxy;

import dev.kvsim.access.Authenticator;
import dev.kvsim.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Which engine user a standard session's node connection runs as: kvsim's default user, or an
 * account's engine user (whose ACL rules carry the account's privilege, so that the engine itself
 * refuses what a read-only account may not do). AUTH and HELLO … AUTH switch it at once; inside
 * MULTI, as on the engine, the login is queued and takes effect with EXEC.
 */
final class EngineLogins {

    private final InstanceProxy owner;
    private final EngineWriter engine;
    private final EngineReplies replies;
    private final MultiState multi;
    private String backendUser = Authenticator.ENGINE_DEFAULT_USER;

    EngineLogins(InstanceProxy owner, EngineWriter engine, EngineReplies replies, MultiState multi) {
        this.owner = owner;
        this.engine = engine;
        this.replies = replies;
        this.multi = multi;
    }

    /** Runs as {@code engineUser} from now on (kvsim's own login, its reply dropped). */
    void runAs(String engineUser) {
        if (!engineUser.equals(backendUser)) {
            engine.write(owner.engineLogin(engineUser, owner.routing().master()));
            replies.expect(PendingReply.swallow());
            backendUser = engineUser;
        }
    }

    /** RESET logged the engine connection out: it runs as kvsim's default user again. */
    void afterReset() {
        engine.write(owner.engineLogin(Authenticator.ENGINE_DEFAULT_USER, owner.routing().master()));
        replies.expect(PendingReply.swallow());
        backendUser = Authenticator.ENGINE_DEFAULT_USER;
    }

    /** Whether a login inside MULTI changes the account: then it is queued, as on the engine. */
    boolean switchesInMulti(String engineUser) {
        return multi.isOpen() && !engineUser.equals(backendUser);
    }

    /** AUTH inside MULTI as another account: the engine's AUTH as its engine user, queued. */
    void queueAuth(String engineUser) {
        queue(engineUser, owner.engineLogin(engineUser, owner.routing().master()));
    }

    /** HELLO … AUTH inside MULTI as another account: the client's HELLO with the engine user's AUTH, queued. */
    void queueHello(String engineUser, List<byte[]> helloWithoutAuth) {
        String secret = owner.policy().authenticator().enginePassword(engineUser, owner.routing().master().internalPassword());
        List<byte[]> hello = new ArrayList<>(helloWithoutAuth);
        hello.addAll(Math.min(2, hello.size()), List.of("AUTH".getBytes(StandardCharsets.UTF_8),
                engineUser.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8)));
        queue(engineUser, Resp.command(hello));
    }

    /** The client reads the engine's +QUEUED, and the login's result in EXEC's reply. */
    private void queue(String engineUser, Buffer login) {
        engine.write(login);
        replies.expect(PendingReply.forward());
        multi.queued(ExecReplyRewrite.Queued.engine());
        multi.switchesTo(engineUser);
    }

    /**
     * EXEC with a queued login: the connection is that account's from EXEC on, unless EXEC did not run
     * (a WATCHed key changed); {@code rewrite} (may be null) still applies to EXEC's reply.
     */
    UnaryOperator<Buffer> execSwitching(String engineUser, UnaryOperator<Buffer> rewrite) {
        String before = backendUser;
        backendUser = engineUser;
        return reply -> {
            if (!ExecReplyRewrite.ran(reply)) {
                backendUser = before;
            }
            return rewrite == null ? reply : rewrite.apply(reply);
        };
    }
}
