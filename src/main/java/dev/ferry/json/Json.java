package dev.ferry.json;

import dev.ferry.digest.Digest;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The one JSON mapper: tolerant of unknown fields (registries and newer spec versions add them),
 * reading and writing {@link Digest} as its string form so that DTOs never hold digest strings.
 */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(new SimpleModule("ferry")
                    .addSerializer(Digest.class, new DigestSerializer())
                    .addDeserializer(Digest.class, new DigestDeserializer()))
            .build();

    private Json() {
    }

    private static final class DigestSerializer extends ValueSerializer<Digest> {
        @Override
        public void serialize(Digest value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeString(value.toString());
        }
    }

    private static final class DigestDeserializer extends ValueDeserializer<Digest> {
        @Override
        public Digest deserialize(JsonParser p, DeserializationContext ctxt) {
            return Digest.parse(p.getValueAsString());
        }
    }
}
