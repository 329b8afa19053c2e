package dev.ordercachesync.localmomento;

import grpc.control_client.ScsControlGrpc;
import grpc.control_client._Cache;
import grpc.control_client._CreateCacheRequest;
import grpc.control_client._CreateCacheResponse;
import grpc.control_client._DeleteCacheRequest;
import grpc.control_client._DeleteCacheResponse;
import grpc.control_client._FlushCacheRequest;
import grpc.control_client._FlushCacheResponse;
import grpc.control_client._ListCachesRequest;
import grpc.control_client._ListCachesResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cache-management RPCs of Momento's control service, so a job can check or create its cache at start. */
final class ControlPlaneService extends ScsControlGrpc.ScsControlImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneService.class);

    private final CacheStore caches;
    private final CallDispatcher dispatcher;

    ControlPlaneService(CacheStore caches, CallDispatcher dispatcher) {
        this.caches = caches;
        this.dispatcher = dispatcher;
    }

    @Override
    public void listCaches(_ListCachesRequest request, StreamObserver<_ListCachesResponse> observer) {
        // One page holds every cache, so next_token is never set and the client never asks for a second page.
        dispatcher.dispatch(RpcNames.LIST_CACHES, observer, () -> {
            _ListCachesResponse.Builder page = _ListCachesResponse.newBuilder();
            caches.names().forEach(name -> page.addCache(_Cache.newBuilder().setCacheName(name)));
            return page.build();
        });
    }

    @Override
    public void createCache(_CreateCacheRequest request, StreamObserver<_CreateCacheResponse> observer) {
        String name = request.getCacheName();
        dispatcher.dispatch(RpcNames.CREATE_CACHE, observer, () -> {
            if (name.isBlank()) {
                throw Status.INVALID_ARGUMENT.withDescription("cache_name must not be blank").asException();
            }
            if (!caches.create(name)) {
                throw Status.ALREADY_EXISTS.withDescription("cache already exists: " + name).asException();
            }
            LOG.info("created cache {}", name);
            return _CreateCacheResponse.getDefaultInstance();
        });
    }

    @Override
    public void deleteCache(_DeleteCacheRequest request, StreamObserver<_DeleteCacheResponse> observer) {
        String name = request.getCacheName();
        dispatcher.dispatch(RpcNames.DELETE_CACHE, observer, () -> {
            if (!caches.delete(name)) {
                throw Status.NOT_FOUND.withDescription("cache not found: " + name).asException();
            }
            LOG.info("deleted cache {}", name);
            return _DeleteCacheResponse.getDefaultInstance();
        });
    }

    @Override
    public void flushCache(_FlushCacheRequest request, StreamObserver<_FlushCacheResponse> observer) {
        String name = request.getCacheName();
        dispatcher.dispatch(RpcNames.FLUSH_CACHE, observer, () -> {
            caches.find(name)
                    .orElseThrow(() -> Status.NOT_FOUND.withDescription("cache not found: " + name).asException())
                    .flush();
            return _FlushCacheResponse.getDefaultInstance();
        });
    }
}
