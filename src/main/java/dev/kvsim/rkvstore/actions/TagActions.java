package dev.kvsim.rkvstore.actions;

import dev.kvsim.catalog.Regions;
import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.InstanceAttributes;
import dev.kvsim.lifecycle.InstanceService;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.NotFoundCode;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcErrors;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Tags: TagResources, UntagResources, ListTagResources (resource type INSTANCE). */
@ApplicationScoped
public class TagActions implements RpcActions {

    static final String RESOURCE_TYPE = "INSTANCE";
    /** How ListTagResources names the resource type in its answer. */
    static final String LISTED_TYPE = "ALIYUN::KVSTORE::INSTANCE";
    /** ListTagResources answers this many tags a page; NextToken continues. */
    static final int PAGE = 50;
    static final int MAX_RESOURCES = 50;

    private final InstanceAttributes attributes;
    private final InstanceService instances;
    private final Regions regions;

    public TagActions(InstanceAttributes attributes, InstanceService instances, Regions regions) {
        this.attributes = attributes;
        this.instances = instances;
        this.regions = regions;
    }

    @Override
    public void register(ActionTable table) {
        table.add("TagResources", NotFoundCode.DB_INSTANCE_ID, this::tag);
        table.add("UntagResources", NotFoundCode.DB_INSTANCE_ID, this::untag);
        table.add("ListTagResources", this::list);
    }

    private Object tag(RpcRequest r) {
        List<String> ids = inRegion(r, resources(r, true));
        Map<String, String> tags = r.tags("Tag");
        if (tags.isEmpty()) {
            throw RpcErrors.missing("Tag.1.Key");
        }
        attributes.tag(ids, tags);
        return null;
    }

    private Object untag(RpcRequest r) {
        List<String> ids = inRegion(r, resources(r, true));
        attributes.untag(ids, r.list("TagKey"), Boolean.TRUE.equals(r.bool("All")));
        return null;
    }

    public record TagResource(String resourceId, String resourceType, String tagKey, String tagValue) {
    }

    public record TagResourceList(List<TagResource> tagResource) {
    }

    public record TagPage(String nextToken, TagResourceList tagResources) {
    }

    /** The tags of the named instances, or of the instances that have every given tag; 50 a page. */
    private TagPage list(RpcRequest r) {
        List<String> ids = resources(r, false);
        Map<String, String> filter = r.tags("Tag");
        if (ids.isEmpty() && filter.isEmpty()) {
            throw RpcErrors.missing("ResourceId.1");
        }
        String regionId = r.string("RegionId");
        List<TagResource> all = new ArrayList<>();
        for (StoredInstance i : instances.list()) {
            boolean named = ids.isEmpty() || ids.contains(i.instanceId());
            boolean tagged = filter.entrySet().stream().allMatch(t -> i.tags().containsKey(t.getKey())
                    && (t.getValue().isEmpty() || t.getValue().equals(i.tags().get(t.getKey()))));
            if (named && tagged && regionId.equals(i.placement().regionId())) {
                i.tags().forEach((k, v) -> all.add(new TagResource(i.instanceId(), LISTED_TYPE, k, v)));
            }
        }
        int from = offset(r.string("NextToken"));
        List<TagResource> page = all.stream().skip(from).limit(PAGE).toList();
        String next = from + PAGE < all.size() ? Integer.toString(from + PAGE) : null;
        return new TagPage(next, new TagResourceList(page));
    }

    /** ResourceId.N, each an instance of the region; RegionId and ResourceType INSTANCE are required. */
    private List<String> resources(RpcRequest r, boolean required) {
        regions.require(r.required("RegionId"));
        if (!RESOURCE_TYPE.equalsIgnoreCase(r.required("ResourceType"))) {
            throw RpcErrors.invalid("ResourceType", "kvsim's resources are INSTANCE; got '" + r.string("ResourceType") + "'.");
        }
        List<String> ids = r.list("ResourceId");
        if (required && ids.isEmpty()) {
            throw RpcErrors.missing("ResourceId.1");
        }
        if (ids.size() > MAX_RESOURCES) {
            throw RpcErrors.invalid("ResourceId", "at most " + MAX_RESOURCES + " resources; got " + ids.size() + ".");
        }
        return ids;
    }

    /** @throws ServiceError 404 for an instance that does not exist in the request's region */
    private List<String> inRegion(RpcRequest r, List<String> ids) {
        String regionId = r.required("RegionId");
        for (String id : ids) {
            if (!instances.get(id).placement().regionId().equals(regionId)) {
                throw ServiceError.notFound(id);
            }
        }
        return ids;
    }

    private static int offset(String token) {
        if (token == null) {
            return 0;
        }
        try {
            int from = Integer.parseInt(token);
            if (from >= 0) {
                return from;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw RpcErrors.invalid("NextToken", "'" + token + "' is not a token a ListTagResources answer gave.");
    }
}
