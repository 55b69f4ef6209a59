package org.labelloop.backend.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;
import org.labelloop.imaging.ClassicalProposer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;

/** The engine's values survive the trip through the server's JSON unchanged. */
class WireTest {

	private static <T> T roundTrip(T value, Class<T> type) throws Exception {
		return Wire.MAPPER.readValue(Wire.MAPPER.writeValueAsBytes(value), type);
	}

	@Test
	void commentsKeepTheirRevisionAndState() throws Exception {
		Comment c = new Comment(7, Target.image(3), null, "bob", Instant.parse("2026-01-02T03:04:05.678Z"), Comment.Kind.QUESTION_LABEL,
				"Is this a cell? ' OR 1=1; --", true, null, null, 4);
		String json = Wire.MAPPER.writeValueAsString(c);
		assertEquals(c, roundTrip(c, Comment.class), json);
		assertTrue(!json.contains("\"flag\""), "derived isFlag() stays out: " + json);
	}

	@Test
	void editsOfEveryKindAndGeometriesRoundTrip() throws Exception {
		Geometry poly = Geometry.polygon(new double[] { 1.5, 20, 11 }, new double[] { 2, 3.25, 30 }, new Plane(0, 1, 0));
		AnnotationData d = new AnnotationData(poly, 4L, Origin.model("v2"), Status.PROPOSED, 0.75, Map.of(4L, 0.75, 5L, 0.25));
		List<Edit> edits = List.of(new Edit.Create(1, d), new Edit.Update(2, 3, d.withStatus(Status.ACCEPTED)), new Edit.Delete(5, 6),
				new Edit.Create(1, AnnotationData.human(null, 4L, "ann")));
		TypeReference<List<Edit>> listOfEdits = new TypeReference<>() { };
		List<Edit> back = Wire.MAPPER.readValue(Wire.MAPPER.writerFor(listOfEdits).writeValueAsBytes(edits), listOfEdits);
		assertEquals(edits.size(), back.size());
		Edit.Create c = (Edit.Create) back.get(0);
		assertEquals(poly, c.data().geometry());
		assertEquals(Map.of(4L, 0.75, 5L, 0.25), c.data().probabilities());
		assertEquals(new Edit.Delete(5, 6), back.get(2));
		assertEquals(null, ((Edit.Create) back.get(3)).data().geometry());
		Annotation a = new Annotation(9, 1, 2, d, "ann", Instant.EPOCH);
		assertEquals(a.data().geometry(), roundTrip(a, Annotation.class).data().geometry());
	}

	@Test
	void anUnboundedAreaTravelsAndAMisspeltFieldIsRefused() throws Exception {
		ClassicalProposer.Settings s = ClassicalProposer.Settings.defaults();
		assertEquals(s, roundTrip(s, ClassicalProposer.Settings.class));
		assertThrows(JsonMappingException.class, () -> Wire.MAPPER.readValue("{\"op\":\"delete\",\"annotationId\":1,\"baseRevison\":2}", Edit.class));
		assertThrows(JsonMappingException.class, () -> Wire.MAPPER.readValue("{\"op\":\"explode\"}", Edit.class));
	}
}
