package dev.kvsim.rkvstore.actions;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kvsim.catalog.Regions;
import dev.kvsim.lifecycle.InstanceService;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.NotFoundCode;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The reads Terraform makes on every refresh of features kvsim does not emulate: what an instance without them
 * shows. No TLS (DescribeInstanceSSL: Disable), no TDE, no ECS security groups, no subscription to renew
 * (pay-as-you-go only).
 */
@ApplicationScoped
public class UnemulatedFeatureActions implements RpcActions {

    private final InstanceService instances;
    private final Regions regions;
    public UnemulatedFeatureActions(InstanceService instances, Regions regions) {
        this.instances = instances;
        this.regions = regions;
    }

    @Override
    public void register(ActionTable table) {
        table.add("DescribeSecurityGroupConfiguration", NotFoundCode.DB_INSTANCE, this::securityGroups);
        table.add("DescribeInstanceSSL", NotFoundCode.DB_INSTANCE, this::ssl);
        table.add("DescribeInstanceAutoRenewalAttribute", NotFoundCode.DB_INSTANCE, this::autoRenewal);
        table.add("DescribeInstanceTDEStatus", this::tde);
    }

    public record SecurityGroupRelations(List<Object> ecsSecurityGroupRelation) {
    }

    public record SecurityGroups(SecurityGroupRelations items) {
    }

    private SecurityGroups securityGroups(RpcRequest r) {
        instances.get(r.instanceId());
        return new SecurityGroups(new SecurityGroupRelations(List.of()));
    }

    public record Ssl(String instanceId, @JsonProperty("SSLEnabled") String sslEnabled) {
    }

    private Ssl ssl(RpcRequest r) {
        return new Ssl(instances.get(r.instanceId()).instanceId(), "Disable");
    }

    public record Tde(@JsonProperty("TDEStatus") String tdeStatus) {
    }

    private Tde tde(RpcRequest r) {
        instances.get(r.instanceId());
        return new Tde("Disabled");
    }

    public record Item(@JsonProperty("DBInstanceId") String dbInstanceId, String regionId, String autoRenew,
                       Integer duration) {
    }

    public record Items(List<Item> item) {
    }

    public record AutoRenewal(Items items, Integer pageNumber, Integer pageRecordCount, Integer totalRecordCount) {
    }

    /** Every instance of the region (or the one DBInstanceId names): none renews, all are pay-as-you-go. */
    private AutoRenewal autoRenewal(RpcRequest r) {
        String regionId = regions.require(r.required("RegionId")).regionId();
        String only = r.string("DBInstanceId");
        int pageNumber = r.integer("PageNumber", 1, 1, Integer.MAX_VALUE);
        int pageSize = r.integer("PageSize", 30, 1, 100);
        List<StoredInstance> all = only != null ? List.of(instances.get(only))
                : instances.list().stream().filter(i -> i.placement().regionId().equals(regionId)).toList();
        List<Item> page = all.stream().skip((long) (pageNumber - 1) * pageSize).limit(pageSize)
                .map(i -> new Item(i.instanceId(), i.placement().regionId(), "false", 0)).toList();
        return new AutoRenewal(new Items(page), pageNumber, page.size(), all.size());
    }
}
