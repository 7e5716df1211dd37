package dev.referralledger.core.person;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The values personal data takes once its person was erased, the same in events and in projections. */
public final class ErasedValues {

    private ErasedValues() {
    }

    /**
     * What an erased value of {@code type} reads as: a string is {@value PersonalData#ERASED}; a list, set or map
     * is empty; a record has the marker in every string component (records and collections inside it likewise,
     * other values null, false or zero).
     */
    public static Object of(Class<?> type) {
        if (type == String.class) {
            return PersonalData.ERASED;
        }
        if (Set.class.isAssignableFrom(type)) {
            return Set.of();
        }
        if (Collection.class.isAssignableFrom(type)) {
            return List.of();
        }
        if (Map.class.isAssignableFrom(type)) {
            return Map.of();
        }
        if (type.isPrimitive()) {
            return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(type, 1), 0); // its default
        }
        if (!type.isRecord()) {
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = of(types[i]);
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the erased form of " + type.getName(), e);
        }
    }
}
