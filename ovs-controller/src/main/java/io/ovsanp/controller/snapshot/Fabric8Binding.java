package io.ovsanp.controller.snapshot;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.ovsanp.controller.errors.UserMessages;
import java.util.Collection;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Binds built-in objects to fabric8 model classes as strictly as the API server decodes them: no
 * string-to-number, number-to-string or float-to-int coercion, so {@code containerPort: "80"} or a
 * label value {@code 1} is an error (kubectl rejects both) rather than a silent guess. Unknown
 * fields do not fail binding; fabric8 keeps them in {@code additionalProperties}.
 */
final class Fabric8Binding {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Fabric8Binding() {}

    static <T> T bind(ManifestObject o, Class<T> type) throws SnapshotLoadException {
        try {
            return MAPPER.readerFor(type).readValue(o.node());
        } catch (JacksonException e) {
            String path = "";
            JsonNode at = o.node();
            for (JacksonException.Reference ref : e.getPath()) {
                if (ref.getPropertyName() != null) {
                    path = FieldPath.field(path, ref.getPropertyName());
                    at = at == null ? null : at.get(ref.getPropertyName());
                } else if (ref.getIndex() >= 0) {
                    path = FieldPath.index(path, ref.getIndex());
                    at = at == null ? null : at.get(ref.getIndex());
                }
            }
            throw o.problem(path, reason(e, at), e);
        }
    }

    /** {@code expected an integer, got "http"}, or Jackson's first line when the shape is unclear. */
    private static String reason(JacksonException e, JsonNode got) {
        Class<?> target = null;
        if (e instanceof MismatchedInputException) {
            target = ((MismatchedInputException) e).getTargetType();
        } else if (e instanceof InputCoercionException) {
            target = ((InputCoercionException) e).getTargetType();
            if (target == Integer.class || target == int.class) {
                return "expected a 32-bit integer, got " + FieldPath.describe(got);
            }
        }
        String expected = target == null ? null : expected(target);
        if (expected == null || got == null) {
            // Jackson's messages name the model's Java types; those mean nothing to a user.
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            msg = msg.lines().findFirst().orElse(msg);
            if (msg.isEmpty() || UserMessages.namesJava(msg)) {
                return "not a valid value" + (got == null ? "" : ", got " + FieldPath.describe(got));
            }
            return msg;
        }
        return "expected " + expected + ", got " + FieldPath.describe(got);
    }

    private static String expected(Class<?> target) {
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "an integer";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "a boolean";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == IntOrString.class) {
            return "an integer or a string";
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(target) || target.getName().startsWith("io.fabric8.")) {
            return "an object";
        }
        return null;
    }
}
