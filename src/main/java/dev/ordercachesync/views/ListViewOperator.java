package dev.ordercachesync.views;

import dev.ordercachesync.model.CacheMutation;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs the {@link ListViewMaterializer} and tells it whether its state backend iterates a map's keys in
 * serialized order (RocksDB does, the HashMap backend does not), which lets a flush read only the newest entries.
 */
public class ListViewOperator extends KeyedProcessOperator<String, ListDelta, CacheMutation> {
    private static final long serialVersionUID = 1L;
    /** Not referenced as a class: the job must not need the RocksDB module on a cluster that runs without it. */
    static final String ROCKSDB_BACKEND = "org.apache.flink.contrib.streaming.state.RocksDBKeyedStateBackend";

    public ListViewOperator(ListViewMaterializer materializer) {
        super(materializer);
    }

    @Override
    public void open() throws Exception {
        KeyedStateBackend<?> backend = getKeyedStateBackend();
        ((ListViewMaterializer) getUserFunction()).rankedIterationSorted(backend != null && ROCKSDB_BACKEND.equals(backend.getClass().getName()));
        super.open();
    }
}
