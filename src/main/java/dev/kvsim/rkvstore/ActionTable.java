package dev.kvsim.rkvstore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The actions kvsim serves, by name, each with the not-found code it answers. */
public final class ActionTable {

    public record Entry(String name, NotFoundCode notFound, RpcAction handler) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public void add(String name, RpcAction handler) {
        add(name, NotFoundCode.INSTANCE, handler);
    }

    /** @throws IllegalStateException when two families register the same action */
    public void add(String name, NotFoundCode notFound, RpcAction handler) {
        if (entries.putIfAbsent(name, new Entry(name, notFound, handler)) != null) {
            throw new IllegalStateException("the action " + name + " is registered twice");
        }
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    public Set<String> names() {
        return entries.keySet();
    }
}
