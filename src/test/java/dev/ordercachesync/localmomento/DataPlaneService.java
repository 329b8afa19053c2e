package dev.ordercachesync.localmomento;

import com.google.protobuf.ByteString;
import dev.ordercachesync.model.MomentoMetering;
import grpc.cache_client.ECacheResult;
import grpc.cache_client.ScsGrpc;
import grpc.cache_client._DeleteRequest;
import grpc.cache_client._DeleteResponse;
import grpc.cache_client._GetRequest;
import grpc.cache_client._GetResponse;
import grpc.cache_client._SetRequest;
import grpc.cache_client._SetResponse;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.util.function.LongSupplier;

/** The item RPCs (get, set, delete) of Momento's cache service, against the in-memory store. */
final class DataPlaneService extends ScsGrpc.ScsImplBase {

    private static final _GetResponse MISS = _GetResponse.newBuilder().setResult(ECacheResult.Miss).build();
    private static final _SetResponse STORED = _SetResponse.newBuilder().setResult(ECacheResult.Ok).build();

    private final CacheStore caches;
    private final CallDispatcher dispatcher;
    private final OperationStats stats;
    private final LongSupplier clockMillis;
    private final WriteListener writeListener;

    DataPlaneService(CacheStore caches, CallDispatcher dispatcher, OperationStats stats, LongSupplier clockMillis,
                     WriteListener writeListener) {
        this.caches = caches;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.clockMillis = clockMillis;
        this.writeListener = writeListener;
    }

    @Override
    public void get(_GetRequest request, StreamObserver<_GetResponse> observer) {
        // Read the header here: a delayed handler runs on a scheduler thread, outside the call's context.
        String cacheName = CacheNameInterceptor.currentCacheName();
        // Charged for its key only: the quota decides before the value is read.
        dispatcher.dispatch(RpcNames.GET, MomentoMetering.operations(request.getCacheKey().size(), 0), observer, () -> {
            ByteString value = keyspace(cacheName).get(request.getCacheKey(), clockMillis.getAsLong());
            return value == null
                    ? MISS
                    : _GetResponse.newBuilder().setResult(ECacheResult.Hit).setCacheBody(value).build();
        });
    }

    @Override
    public void set(_SetRequest request, StreamObserver<_SetResponse> observer) {
        String cacheName = CacheNameInterceptor.currentCacheName();
        long cost = MomentoMetering.operations(request.getCacheKey().size(), request.getCacheBody().size());
        dispatcher.dispatch(RpcNames.SET, cost, observer, () -> {
            Keyspace keyspace = keyspace(cacheName);
            if (request.getTtlMilliseconds() == 0) {
                throw Status.INVALID_ARGUMENT.withDescription("ttl_milliseconds must be positive").asException();
            }
            long now = clockMillis.getAsLong();
            // Holding the keyspace's lock across write and notification keeps the listener's order the applied order.
            synchronized (keyspace) {
                keyspace.set(request.getCacheKey(), request.getCacheBody(), expiresAt(now, request.getTtlMilliseconds()));
                writeListener.applied(cacheName, request.getCacheKey(), request.getCacheBody(), System.nanoTime());
            }
            stats.recordAppliedWrite();
            return STORED;
        });
    }

    @Override
    public void delete(_DeleteRequest request, StreamObserver<_DeleteResponse> observer) {
        String cacheName = CacheNameInterceptor.currentCacheName();
        dispatcher.dispatch(RpcNames.DELETE, MomentoMetering.operations(request.getCacheKey().size(), 0), observer, () -> {
            Keyspace keyspace = keyspace(cacheName);
            synchronized (keyspace) {
                keyspace.delete(request.getCacheKey());
                writeListener.applied(cacheName, request.getCacheKey(), null, System.nanoTime());
            }
            stats.recordAppliedWrite();
            return _DeleteResponse.getDefaultInstance();
        });
    }

    private Keyspace keyspace(String cacheName) throws StatusException {
        if (cacheName == null) {
            throw Status.INVALID_ARGUMENT.withDescription("request has no 'cache' header").asException();
        }
        return caches.find(cacheName)
                .orElseThrow(() -> Status.NOT_FOUND.withDescription("cache not found: " + cacheName).asException());
    }

    /** ttl_milliseconds is a uint64: a value past Long.MAX_VALUE arrives negative and means "practically never". */
    private static long expiresAt(long nowMillis, long ttlMillis) {
        if (ttlMillis < 0 || nowMillis > Long.MAX_VALUE - ttlMillis) {
            return Long.MAX_VALUE;
        }
        return nowMillis + ttlMillis;
    }
}
