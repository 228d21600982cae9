package dev.kvsim.instance;

import dev.kvsim.core.ServiceError;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * What describes an instance beside its lifecycle: its name, release protection, password-free access
 * (ModifyInstanceAttribute, ModifyInstanceVpcAuthMode) and its tags (TagResources, UntagResources).
 */
@ApplicationScoped
public class InstanceAttributes {

    private final InstanceStore store;
    private final RunningInstances running;

    public InstanceAttributes(InstanceStore store, RunningInstances running) {
        this.store = store;
        this.running = running;
    }

    /** @throws ServiceError 400 for a name of no or more than 128 characters */
    public void rename(String instanceId, String name) {
        store.require(instanceId);
        if (name == null || name.isBlank() || name.length() > 128) {
            throw ServiceError.invalid("An instance name is 1 to 128 characters.");
        }
        store.setName(instanceId, name);
    }

    /** While on, deleting the instance is refused. */
    public void setReleaseProtection(String instanceId, boolean on) {
        store.require(instanceId);
        store.setReleaseProtection(instanceId, on);
        Log.infof("instance %s: release protection %s", instanceId, on ? "on" : "off");
    }

    /**
     * {@code Close}: password-free access, every client is admitted without AUTH; {@code Open}: clients must
     * authenticate. New connections get the new mode; open ones keep the login they have.
     *
     * @throws ServiceError 409 when the instance is not Normal, 400 for Open on an instance without a password
     */
    public void setVpcAuthMode(String instanceId, String mode) {
        if (!StoredInstance.AUTH_OPEN.equals(mode) && !StoredInstance.AUTH_CLOSE.equals(mode)) {
            throw ServiceError.invalid("The VPC auth mode must be Open or Close; got '" + mode + "'.");
        }
        StoredInstance i = store.require(instanceId);
        if (i.status() != InstanceStatus.Normal) {
            throw ServiceError.wrongState(instanceId, i.status());
        }
        if (StoredInstance.AUTH_OPEN.equals(mode) && i.passwordHash() == null) {
            throw new ServiceError(400, "MissingParameter", "The instance " + instanceId + " has no password: set the "
                    + "default account's password before password-free access can be turned off.");
        }
        store.setVpcAuthMode(instanceId, mode);
        running.refreshPolicy(instanceId);
        Log.infof("instance %s: VPC auth mode %s", instanceId, mode);
    }

    /**
     * Adds (or overwrites) tags on every instance, all or none: every instance must exist and keep within the
     * tag limit.
     *
     * @throws ServiceError 404 for an unknown instance, 400 for a tag that breaks a rule
     */
    public void tag(Collection<String> instanceIds, Map<String, String> tags) {
        Map<String, String> add = InstanceTags.check(tags);
        if (add.isEmpty()) {
            throw new ServiceError(400, "MissingParameter", "At least one tag is required.");
        }
        for (String id : instanceIds) {
            Map<String, String> after = new TreeMap<>(store.require(id).tags());
            after.putAll(add);
            InstanceTags.checkCount(id, after);
        }
        for (String id : instanceIds) {
            store.updateTags(id, before -> {
                Map<String, String> after = new TreeMap<>(before);
                after.putAll(add);
                InstanceTags.checkCount(id, after);
                return after;
            });
        }
    }

    /**
     * Removes the tags with these keys, or every tag with {@code all}, from every instance (all or none).
     *
     * @throws ServiceError 404 for an unknown instance
     */
    public void untag(Collection<String> instanceIds, Collection<String> keys, boolean all) {
        if (!all && keys.isEmpty()) {
            throw new ServiceError(400, "MissingParameter", "Name the tag keys to remove, or remove all of them.");
        }
        instanceIds.forEach(store::require);
        for (String id : instanceIds) {
            store.updateTags(id, before -> {
                Map<String, String> after = new TreeMap<>(before);
                if (all) {
                    after.clear();
                } else {
                    keys.forEach(after::remove);
                }
                return after;
            });
        }
    }
}
