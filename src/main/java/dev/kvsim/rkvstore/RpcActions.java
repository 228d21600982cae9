package dev.kvsim.rkvstore;

/**
 * A family of actions (instances, accounts, backups, …). Every bean that implements it registers its actions
 * at start; a new family plugs in by being a bean, and an action it adds stops answering UnsupportedOperation.
 */
public interface RpcActions {

    void register(ActionTable table);
}
