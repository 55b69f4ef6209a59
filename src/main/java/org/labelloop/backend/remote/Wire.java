package org.labelloop.backend.remote;

import org.labelloop.core.model.Task;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * The JSON form of the engine's values on the lab server's wire, shared by the server and {@link RemoteBackend}
 * so both sides read what the other writes. Records travel as Jackson writes them (their components); edits carry
 * an {@code op} ({@code create}, {@code update}, {@code delete}); instants are ISO-8601 text. The model layer stays
 * free of Jackson: the annotations it would need are mix-ins here.
 */
public final class Wire {

	/** Thread-safe once configured. Unknown properties are refused, so a misspelt field is an error, not a silent default. */
	public static final ObjectMapper MAPPER = JsonMapper.builder()
			.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // an unbounded max area is Infinity
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			// isFlag(), isImageLevel() … are derived, not state: only record components travel
			.disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
			.addModule(new SimpleModule("labelloop-wire").addSerializer(Instant.class, new InstantOut()).addDeserializer(Instant.class, new InstantIn())
					.addSerializer(Mask.class, new MaskOut()).addDeserializer(Mask.class, new MaskIn())
					.addSerializer(Task.class, new TaskOut()).addDeserializer(Task.class, new TaskIn()))
			.addMixIn(Edit.class, EditMixin.class)
			.addMixIn(AnnotationData.class, AnnotationDataMixin.class)
			.build();

	private Wire() {
	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
	@JsonSubTypes({ @JsonSubTypes.Type(value = Edit.Create.class, name = "create"), @JsonSubTypes.Type(value = Edit.Update.class, name = "update"),
			@JsonSubTypes.Type(value = Edit.Delete.class, name = "delete") })
	private interface EditMixin {
	}

	/** A mask travels only when there is one, so shapes look on the wire as they did before masks. */
	private abstract static class AnnotationDataMixin {
		@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
		abstract Mask mask();
	}

	/** A task travels as its key ({@code image}, {@code roi}), as it always has. */
	private static final class TaskOut extends JsonSerializer<Task> {
		@Override
		public void serialize(Task value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
			gen.writeString(value.key());
		}
	}

	private static final class TaskIn extends JsonDeserializer<Task> {
		@Override
		public Task deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
			return Task.parse(p.getValueAsString());
		}
	}

	/** A mask is its {@link org.labelloop.core.geom.MaskCodec} bytes in base64. */
	private static final class MaskOut extends JsonSerializer<Mask> {
		@Override
		public void serialize(Mask value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
			gen.writeString(java.util.Base64.getEncoder().encodeToString(value.encode()));
		}
	}

	private static final class MaskIn extends JsonDeserializer<Mask> {
		@Override
		public Mask deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
			String s = p.getValueAsString();
			if (s == null) return null;
			try {
				return Mask.decode(java.util.Base64.getDecoder().decode(s));
			} catch (IllegalArgumentException e) {
				throw ctxt.weirdStringException(s.length() > 40 ? s.substring(0, 40) + "…" : s, Mask.class, "not a LabelLoop mask (base64 of its codec bytes): " + e.getMessage());
			}
		}
	}

	private static final class InstantOut extends JsonSerializer<Instant> {
		@Override
		public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
			gen.writeString(value.toString());
		}
	}

	private static final class InstantIn extends JsonDeserializer<Instant> {
		@Override
		public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
			String s = p.getValueAsString();
			try {
				return s == null ? null : Instant.parse(s);
			} catch (DateTimeParseException e) {
				throw ctxt.weirdStringException(s, Instant.class, "not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
			}
		}
	}
}
