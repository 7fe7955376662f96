package dev.berth.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What {@code kubectl kustomize DIR} prints, for the kustomizations this project has: kubectl is not a Debian package,
 * so the test cannot count on it. Covered: {@code resources} (files with one or more documents, and directories with
 * their own kustomization.yaml, recursively) and the duplicate-object check. A kustomization using any other key
 * (namespace, labels, patches, images...) fails here, naming the key, so this stays honest when deploy/ grows one.
 * Comments and key order are not kept, as kustomize keeps neither; objects are compared as trees.
 */
final class KustomizeBuild {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> EMULATED = Set.of("apiVersion", "kind", "resources");

  private KustomizeBuild() {}

  static List<JsonNode> build(Path dir) throws IOException {
    JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    for (Iterator<String> keys = kustomization.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!EMULATED.contains(key)) {
        throw new AssertionError(dir.resolve("kustomization.yaml") + " uses '" + key
            + "', which KustomizeBuild does not emulate: add it there, or the comparison with the chart means nothing");
      }
    }
    List<JsonNode> objects = new ArrayList<>();
    for (JsonNode resource : kustomization.path("resources")) {
      Path path = dir.resolve(resource.asText()).normalize();
      if (Files.isDirectory(path)) {
        objects.addAll(build(path));
      } else {
        objects.addAll(documents(Files.readString(path)));
      }
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode object : objects) {
      String id = id(object);
      if (ids.contains(id)) {
        throw new AssertionError("kustomize refuses two objects with one id: " + id + " in " + dir);
      }
      ids.add(id);
    }
    return objects;
  }

  /** The objects of a multi-document YAML text; empty documents (a lone comment, a trailing ---) are dropped. */
  static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (var parser = YAML.createParser(yaml)) {
      for (var docs = YAML.readValues(parser, JsonNode.class); docs.hasNext(); ) {
        JsonNode doc = docs.next();
        if (doc != null && doc.isObject() && !doc.isEmpty()) {
          objects.add(doc);
        }
      }
    }
    return objects;
  }

  /** kind/namespace/name, as kustomize identifies objects (namespace empty for cluster-scoped ones). */
  static String id(JsonNode object) {
    return object.path("kind").asText() + "/" + object.at("/metadata/namespace").asText("") + "/"
        + object.at("/metadata/name").asText();
  }
}
