package dev.ordercachesync.localmomento;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/** The caches that exist, each with its own keyspace, as created through the control plane or the Java API. */
final class CacheStore {

    private final ConcurrentMap<String, Keyspace> caches = new ConcurrentHashMap<>();

    /** @return false if a cache of that name already exists (its items are left alone) */
    boolean create(String name) {
        return caches.putIfAbsent(name, new Keyspace()) == null;
    }

    /** @return false if there was no such cache */
    boolean delete(String name) {
        return caches.remove(name) != null;
    }

    Optional<Keyspace> find(String name) {
        return Optional.ofNullable(caches.get(name));
    }

    List<String> names() {
        return caches.keySet().stream().sorted().collect(Collectors.toList());
    }
}
