package dev.kvsim.rkvstore;

/** One action: reads its parameters, calls the services, and returns its answer's fields (null: none). */
@FunctionalInterface
public interface RpcAction {

    /**
     * @return a record (its components are the answer's fields, in upper camel case) or null for an answer with
     *         only the RequestId
     */
    Object handle(RpcRequest request);
}
