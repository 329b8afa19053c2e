package dev.ordercachesync.source.scan;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.Map;

/** Writes the enumerator's {@link ScanEnumeratorState} into checkpoints; version 1. */
final class ScanEnumeratorStateSerializer implements SimpleVersionedSerializer<ScanEnumeratorState> {
    static final ScanEnumeratorStateSerializer INSTANCE = new ScanEnumeratorStateSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(ScanEnumeratorState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(s.run);
        out.writeUTF(s.runId);
        out.writeUTF(s.streamArn);
        out.writeLong(s.runStartedAt);
        out.writeInt(s.totalSegments);
        out.writeInt(s.unassigned.size());
        for (int segment : s.unassigned) {
            out.writeInt(segment);
        }
        out.writeInt(s.finished.size());
        for (int segment : s.finished) {
            out.writeInt(segment);
        }
        out.writeInt(s.itemsPerSegment.size());
        for (Map.Entry<Integer, Long> e : s.itemsPerSegment.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeBoolean(s.complete);
        out.writeInt(s.markersEmitted.size());
        for (int reader : s.markersEmitted) {
            out.writeInt(reader);
        }
        out.writeLong(s.lastCheckpointAt);
        out.writeLong(s.approximateItemCount);
        out.writeLong(s.gapsDetected);
        return out.getCopyOfBuffer();
    }

    @Override
    public ScanEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown scan enumerator state version " + version + "; this build reads version 1");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        ScanEnumeratorState s = new ScanEnumeratorState();
        s.run = in.readInt();
        s.runId = in.readUTF();
        s.streamArn = in.readUTF();
        s.runStartedAt = in.readLong();
        s.totalSegments = in.readInt();
        for (int i = in.readInt(); i > 0; i--) {
            s.unassigned.add(in.readInt());
        }
        for (int i = in.readInt(); i > 0; i--) {
            s.finished.add(in.readInt());
        }
        for (int i = in.readInt(); i > 0; i--) {
            s.itemsPerSegment.put(in.readInt(), in.readLong());
        }
        s.complete = in.readBoolean();
        for (int i = in.readInt(); i > 0; i--) {
            s.markersEmitted.add(in.readInt());
        }
        s.lastCheckpointAt = in.readLong();
        s.approximateItemCount = in.readLong();
        s.gapsDetected = in.readLong();
        return s;
    }
}
