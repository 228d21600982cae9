package dev.kvsim.rkvstore;

import dev.kvsim.core.ServiceError;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/** Finds the action a call names among every family's and runs it; maps the services' refusals. */
@ApplicationScoped
public class RpcDispatcher {

    private final ActionTable table = new ActionTable();

    public RpcDispatcher(@All List<RpcActions> families) {
        families.forEach(f -> f.register(table));
    }

    /**
     * @return the action's answer fields, or null
     * @throws ServiceError an unknown action (404 InvalidAction.NotFound), one of the product's that kvsim does not
     *                  serve yet (400 UnsupportedOperation), a bad parameter, or a refusal of the services
     */
    public Object dispatch(RpcRequest request) {
        String action = request.action();
        ActionTable.Entry entry = table.find(action).orElseThrow(() -> ProductActions.ALL.contains(action)
                ? new ServiceError(400, "UnsupportedOperation", "The action " + action + " is not supported by kvsim yet.")
                : new ServiceError(404, "InvalidAction.NotFound",
                "Specified api is not found, please check your url and method. Action: " + action));
        try {
            return entry.handler().handle(request);
        } catch (ServiceError e) {
            throw RpcErrors.forAction(e, entry.notFound());
        }
    }

    /** The actions kvsim serves. */
    public Set<String> actions() {
        return table.names();
    }
}
