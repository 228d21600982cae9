package dev.kvsim.rkvstore.actions;

import dev.kvsim.access.SecurityIpService;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.NotFoundCode;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcErrors;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The whitelist: ModifySecurityIps, DescribeSecurityIps. {@code SecurityIpGroupAttribute} is accepted and not
 * kept: it only hides a group in the service's console.
 */
@ApplicationScoped
public class SecurityIpActions implements RpcActions {

    private final SecurityIpService securityIps;

    public SecurityIpActions(SecurityIpService securityIps) {
        this.securityIps = securityIps;
    }

    @Override
    public void register(ActionTable table) {
        table.add("ModifySecurityIps", this::modify);
        table.add("DescribeSecurityIps", NotFoundCode.DB_INSTANCE, this::describe);
    }

    private Object modify(RpcRequest r) {
        String id = r.instanceId();
        List<String> ips = r.commaList("SecurityIps");
        if (ips.isEmpty()) {
            throw RpcErrors.missing("SecurityIps");
        }
        securityIps.modifyGroup(id, r.string("SecurityIpGroupName", "default"), ips,
                r.oneOf("ModifyMode", "Cover", List.of("Cover", "Append", "Delete")));
        return null;
    }

    public record Group(String securityIpGroupName, String securityIpList, String securityIpGroupAttribute) {
    }

    public record Groups(List<Group> securityIpGroup) {
    }

    public record SecurityIps(Groups securityIpGroups) {
    }

    private SecurityIps describe(RpcRequest r) {
        List<Group> groups = securityIps.list(r.instanceId()).stream()
                .map(g -> new Group(g.name(), String.join(",", g.ips()), "")).toList();
        return new SecurityIps(new Groups(groups));
    }
}
