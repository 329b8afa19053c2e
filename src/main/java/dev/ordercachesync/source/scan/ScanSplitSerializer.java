package dev.ordercachesync.source.scan;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/** Writes a {@link ScanSplit} into checkpoints; version 1. */
final class ScanSplitSerializer implements SimpleVersionedSerializer<ScanSplit> {
    static final ScanSplitSerializer INSTANCE = new ScanSplitSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(ScanSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeInt(split.run);
        out.writeInt(split.segment);
        out.writeInt(split.totalSegments);
        out.writeLong(split.runStartedAt);
        out.writeUTF(split.streamArn);
        out.writeBoolean(split.lastKey != null);
        if (split.lastKey != null) {
            out.writeUTF(split.lastKey);
        }
        out.writeLong(split.itemsScanned);
        out.writeBoolean(split.finished);
        return out.getCopyOfBuffer();
    }

    @Override
    public ScanSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown scan split version " + version + "; this build reads version 1");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int run = in.readInt();
        int segment = in.readInt();
        int total = in.readInt();
        long startedAt = in.readLong();
        String streamArn = in.readUTF();
        String lastKey = in.readBoolean() ? in.readUTF() : null;
        long items = in.readLong();
        boolean finished = in.readBoolean();
        return new ScanSplit(run, segment, total, startedAt, streamArn, lastKey, items, finished);
    }
}
