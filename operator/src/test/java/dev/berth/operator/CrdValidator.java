package dev.berth.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server would do with a Registry, without an API server: apply the CRD's defaults, validate against its
 * openAPIV3Schema (strictly: unknown fields are errors, as kubectl's server-side field validation makes them), then
 * evaluate every x-kubernetes-validations CEL rule where it applies. A rule that does not compile is a violation too.
 */
public final class CrdValidator {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "status");

  private final JsonNode openApiSchema;
  private final JsonSchema strictSchema;
  private final CelCompiler compiler =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  public CrdValidator(Path crdFile) throws IOException {
    JsonNode crd = YAML.readTree(crdFile.toFile());
    this.openApiSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    if (openApiSchema.isMissingNode()) {
      throw new IllegalArgumentException(crdFile + " has no openAPIV3Schema");
    }
    ObjectNode strict = openApiSchema.deepCopy();
    forbidUnknownFields(strict);
    ObjectNode root = (ObjectNode) strict.get("properties");
    for (String field : ROOT_FIELDS) {
      if (!root.has(field)) {
        root.putObject(field);
      }
    }
    this.strictSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strict);
  }

  public static JsonNode readYaml(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }

  public static JsonNode toTree(Object value) {
    return YAML.valueToTree(value);
  }

  /** Every reason the API server would refuse this object; empty when it would accept it. */
  public List<String> violations(JsonNode object) {
    JsonNode defaulted = object.deepCopy();
    applyDefaults(openApiSchema, defaulted);
    List<String> violations = new ArrayList<>();
    for (ValidationMessage message : strictSchema.validate(defaulted)) {
      violations.add("schema: " + message.getMessage());
    }
    evaluateRules(openApiSchema, defaulted, "", violations);
    return violations;
  }

  /** All CEL rules in the CRD with the path of the schema node they sit on. */
  public List<Map.Entry<String, String>> rules() {
    List<Map.Entry<String, String>> rules = new ArrayList<>();
    collectRules(openApiSchema, "", rules);
    return rules;
  }

  private static void collectRules(JsonNode schema, String path, List<Map.Entry<String, String>> out) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      out.add(Map.entry(path.isEmpty() ? "." : path, rule.path("rule").asText()));
    }
    schema.path("properties").fields()
        .forEachRemaining(f -> collectRules(f.getValue(), path + "." + f.getKey(), out));
    if (schema.has("items")) {
      collectRules(schema.get("items"), path + "[*]", out);
    }
  }

  private static void forbidUnknownFields(JsonNode schema) {
    if (!(schema instanceof ObjectNode node)) {
      return;
    }
    if (node.has("properties") && !node.has("additionalProperties")
        && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      node.put("additionalProperties", false);
    }
    node.path("properties").forEach(CrdValidator::forbidUnknownFields);
    forbidUnknownFields(node.path("items"));
    forbidUnknownFields(node.path("additionalProperties"));
    node.path("anyOf").forEach(CrdValidator::forbidUnknownFields);
  }

  private static void applyDefaults(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode object && schema.has("properties")) {
      Iterator<Map.Entry<String, JsonNode>> fields = schema.get("properties").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!object.has(field.getKey()) && field.getValue().has("default")) {
          object.set(field.getKey(), field.getValue().get("default").deepCopy());
        }
        if (object.has(field.getKey())) {
          applyDefaults(field.getValue(), object.get(field.getKey()));
        }
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      array.forEach(item -> applyDefaults(schema.get("items"), item));
    }
  }

  private void evaluateRules(JsonNode schema, JsonNode value, String path, List<String> out) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      String where = path.isEmpty() ? "<root>" : path;
      try {
        CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
        Object result = runtime.createProgram(ast).eval(Map.of("self", toCel(value)));
        if (!Boolean.TRUE.equals(result)) {
          out.add("cel " + where + rule.path("fieldPath").asText("") + ": " + rule.path("message").asText(expression));
        }
      } catch (CelValidationException e) {
        out.add("cel " + where + ": rule does not compile: " + expression + ": " + e.getMessage());
      } catch (CelEvaluationException e) {
        out.add("cel " + where + ": rule fails to evaluate: " + expression + ": " + e.getMessage());
      }
    }
    if (value.isObject() && schema.has("properties")) {
      schema.get("properties").fields().forEachRemaining(f ->
          evaluateRules(f.getValue(), value.get(f.getKey()), path + "." + f.getKey(), out));
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(schema.get("items"), value.get(i), path + "[" + i + "]", out);
      }
    }
  }

  /** JSON as CEL sees it: int64 integers, doubles, strings, bools, lists and string-keyed maps. */
  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(f -> map.put(f.getKey(), toCel(f.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(toCel(n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}
