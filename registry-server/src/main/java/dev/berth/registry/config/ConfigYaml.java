package dev.berth.registry.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Parses YAML text into a tree, turning syntax errors into one-line messages with the line and column. */
final class ConfigYaml {
  // Duplicate keys are refused: with two 'rootdirectory' lines, which one the operator meant is a guess.
  private static final ObjectMapper MAPPER = new ObjectMapper(
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private ConfigYaml() {}

  /** The parsed document; {@link NullNode} for an empty one. {@code source} names the text in error messages. */
  static JsonNode parse(String text, String source) {
    try {
      JsonNode node = MAPPER.readTree(text);
      return node == null || node instanceof MissingNode ? NullNode.getInstance() : node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(source + ": invalid YAML" + where + ": " + e.getOriginalMessage());
    }
  }
}
