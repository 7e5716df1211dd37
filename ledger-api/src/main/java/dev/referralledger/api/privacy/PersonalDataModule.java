package dev.referralledger.api.privacy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.referralledger.core.person.ErasedValues;
import dev.referralledger.core.person.PersonalData;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/**
 * Stores every {@link PersonalData} component of an event encrypted with its subject's key (the component's JSON,
 * sealed by {@link PersonalDataCipher}) and reads it back decrypted; once the subject is erased it reads as
 * {@link ErasedValues#of}. A value stored before encryption existed (plain JSON) still reads as it was.
 */
public final class PersonalDataModule extends SimpleModule {

    private final PersonalDataCipher cipher;
    /** The storage mapper without this module: the JSON of one component, inside the seal. */
    private final ObjectMapper plain;

    public PersonalDataModule(PersonalDataCipher cipher, ObjectMapper plain) {
        super("personal-data");
        this.cipher = cipher;
        this.plain = plain;
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.insertAnnotationIntrospector(new NopAnnotationIntrospector() {
            @Override
            public Object findSerializer(Annotated a) {
                PersonalData data = a.getAnnotation(PersonalData.class);
                return data == null ? null : new Sealing(data);
            }

            @Override
            public Object findDeserializer(Annotated a) {
                return a.hasAnnotation(PersonalData.class) ? new Opening(null, null) : null;
            }
        });
    }

    /** Writes the component sealed with the key of the subject its record names. */
    private final class Sealing extends StdSerializer<Object> {
        private final PersonalData data;

        Sealing(PersonalData data) {
            super(Object.class);
            this.data = data;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            JsonStreamContext context = gen.getOutputContext();
            Object holder = context.getCurrentValue();
            Object subject = component(holder, data.subject());
            if (subject == null && !data.fallback().isEmpty()) {
                subject = component(holder, data.fallback());
            }
            String tenantId = tenantOf(context);
            if (subject == null || tenantId == null) {
                // never store personal data in the clear for want of a key
                throw new IllegalStateException(holder.getClass().getSimpleName() + " has personal data without "
                        + (tenantId == null ? "a tenant" : "a subject (" + data.subject() + ")"));
            }
            gen.writeString(cipher.seal(tenantId, subject.toString(), plain.writeValueAsBytes(value)));
        }
    }

    /** Reads a sealed component (or a plain one stored before encryption) as its declared type. */
    private final class Opening extends StdDeserializer<Object> implements ContextualDeserializer {
        private final JavaType type;
        private final JsonDeserializer<Object> stored;

        Opening(JavaType type, JsonDeserializer<Object> stored) {
            super(Object.class);
            this.type = type;
            this.stored = stored;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws JsonMappingException {
            JavaType declared = property != null ? property.getType() : ctxt.getContextualType();
            return new Opening(declared, ctxt.findContextualValueDeserializer(declared, property));
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING || !PersonalDataCipher.isSealed(p.getText())) {
                return stored.deserialize(p, ctxt);
            }
            PersonalDataCipher.Opened opened = cipher.open(p.getText());
            return opened.erased() ? ErasedValues.of(type.getRawClass()) : plain.readValue(opened.json(), type);
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            return null;
        }
    }

    /** Each record type's component accessors by name (asking a class for its components is slow). */
    private static final ClassValue<Map<String, Method>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            Map<String, Method> accessors = new java.util.HashMap<>();
            if (type.isRecord()) {
                for (RecordComponent c : type.getRecordComponents()) {
                    Method m = c.getAccessor();
                    m.setAccessible(true);
                    accessors.put(c.getName(), m);
                }
            }
            return Map.copyOf(accessors);
        }
    };

    /** The value of record component {@code name} of {@code holder}, or null when it has none. */
    private static Object component(Object holder, String name) {
        Method accessor = holder == null ? null : ACCESSORS.get(holder.getClass()).get(name);
        if (accessor == null) {
            if (holder != null && holder.getClass().isRecord()) {
                throw new IllegalStateException(holder.getClass().getName() + " has no component " + name);
            }
            return null;
        }
        try {
            return accessor.invoke(holder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tenant of the innermost record being written that has a tenantId (an event, around a nested record). */
    private static String tenantOf(JsonStreamContext context) {
        for (JsonStreamContext c = context; c != null; c = c.getParent()) {
            Object value = c.getCurrentValue();
            if (value != null && ACCESSORS.get(value.getClass()).containsKey("tenantId")) {
                Object tenant = component(value, "tenantId");
                return tenant == null ? null : tenant.toString();
            }
        }
        return null;
    }
}
