package dev.ordercachesync.localmomento;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Momento data-plane requests carry the cache name in the {@code cache} header, not in the message;
 * this moves it into the gRPC context where the service implementation can read it.
 */
final class CacheNameInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> CACHE_HEADER = Metadata.Key.of("cache", Metadata.ASCII_STRING_MARSHALLER);

    private static final Context.Key<String> CACHE_NAME = Context.key("momento-cache-name");

    /** The cache named by the current call, or null if the client sent no {@code cache} header. */
    static String currentCacheName() {
        return CACHE_NAME.get();
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        Context context = Context.current().withValue(CACHE_NAME, headers.get(CACHE_HEADER));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
