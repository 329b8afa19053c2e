package dev.ordercachesync.state;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.util.InstantiationUtil;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fails the job before it is submitted when one of its state types would be serialized with Kryo.
 *
 * <p>Flink on its own only notices a Kryo state type when the task opens the state, so the job would
 * restart in a loop; and a Kryo type that did get into a savepoint cannot change shape later without
 * losing that savepoint. Checking every declared state descriptor up front turns both into one clear
 * error at start.
 */
public final class StateTypeCheck {
    private StateTypeCheck() {}

    /**
     * @param declaredState state descriptors per operator uid, as the stateful functions declare them
     * @param jobConfig the job's config (registered types and factories count); not changed
     * @throws KryoStateTypeException naming every state whose type would use Kryo
     */
    public static void requireNoKryo(Map<String, List<StateDescriptor<?, ?>>> declaredState, ExecutionConfig jobConfig) {
        ExecutionConfig config = withGenericTypesDisabled(jobConfig);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<StateDescriptor<?, ?>>> operator : declaredState.entrySet()) {
            for (StateDescriptor<?, ?> descriptor : operator.getValue()) {
                String problem = kryoProblem(descriptor, config);
                if (problem != null) {
                    problems.add("operator '" + operator.getKey() + "', state '" + descriptor.getName() + "': " + problem);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new KryoStateTypeException(problems);
        }
    }

    private static ExecutionConfig withGenericTypesDisabled(ExecutionConfig jobConfig) {
        ExecutionConfig copy;
        try {
            // A copy keeps registered POJO types and type-info factories without changing the job's config.
            copy = InstantiationUtil.clone(jobConfig, StateTypeCheck.class.getClassLoader());
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("Cannot copy the job's ExecutionConfig", e);
        }
        copy.getSerializerConfig().setGenericTypes(false);
        return copy;
    }

    /** Null when the state's serializer is free of Kryo, else why not. */
    private static String kryoProblem(StateDescriptor<?, ?> descriptor, ExecutionConfig config) {
        TypeSerializer<?> serializer;
        try {
            descriptor.initializeSerializerUnlessSet(config);
            serializer = descriptor.getSerializer();
        } catch (UnsupportedOperationException e) {
            // Flink's own message names the type that is "treated as a generic type".
            return e.getMessage();
        }
        Class<?> kryoType = findKryo(serializer, Collections.newSetFromMap(new IdentityHashMap<>()));
        return kryoType == null ? null : "type " + kryoType.getName() + " is serialized with Kryo";
    }

    private static Class<?> kryoType(KryoSerializer<?> serializer) {
        try {
            Field type = KryoSerializer.class.getDeclaredField("type");
            type.setAccessible(true);
            return (Class<?>) type.get(serializer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Object.class;
        }
    }

    /** Walks nested serializers (POJO fields, tuple fields, map keys and values, TTL wrappers). */
    private static Class<?> findKryo(Object serializer, Set<Object> seen) {
        if (serializer == null || !seen.add(serializer)) {
            return null;
        }
        if (serializer instanceof KryoSerializer) {
            return kryoType((KryoSerializer<?>) serializer);
        }
        for (Class<?> c = serializer.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Class<?> fieldType = field.getType();
                boolean single = TypeSerializer.class.isAssignableFrom(fieldType);
                boolean array = fieldType.isArray() && TypeSerializer.class.isAssignableFrom(fieldType.getComponentType());
                if (!single && !array) {
                    continue;
                }
                Object value;
                try {
                    field.setAccessible(true);
                    value = field.get(serializer);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                Object[] nested = array ? (Object[]) value : new Object[] {value};
                if (nested == null) {
                    continue;
                }
                for (Object n : nested) {
                    Class<?> found = findKryo(n, seen);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }
}
