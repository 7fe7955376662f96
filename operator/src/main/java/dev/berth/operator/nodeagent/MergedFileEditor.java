package dev.berth.operator.nodeagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Merges the agent's settings into a user's JSON or YAML file (daemon.json, registries.yaml) and takes them out again,
 * keeping every other key and entry. The file is rewritten only when a setting changes, with a backup of the user's
 * version; a file the agent created is deleted again once nothing is left in it.
 */
public final class MergedFileEditor {
  private final HostFs hostFs;
  private final ObjectMapper mapper;
  private final ObjectWriter printer;
  private final JsonTreeMerger merger = new JsonTreeMerger();
  private final AtomicFileWriter writer = new AtomicFileWriter();

  private MergedFileEditor(HostFs hostFs, ObjectMapper mapper, ObjectWriter printer) {
    this.hostFs = hostFs;
    this.mapper = mapper;
    this.printer = printer;
  }

  public static MergedFileEditor json(HostFs hostFs) {
    var mapper = new JsonMapper();
    var prettyPrinter = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    return new MergedFileEditor(hostFs, mapper, mapper.writer(prettyPrinter));
  }

  public static MergedFileEditor yaml(HostFs hostFs) {
    var mapper = new YAMLMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .build());
    return new MergedFileEditor(hostFs, mapper, mapper.writer());
  }

  /**
   * Result of an edit.
   *
   * @param merged    what the agent now owns in the file, or null when nothing
   * @param changed   the file was written or deleted
   * @param conflicts settings left unchanged because the user has something else there
   */
  public record Outcome(MergedFile merged, boolean changed, List<String> conflicts) {}

  /** Makes the file hold {@code desired} (and no longer what {@code previous} added beyond it). */
  public Outcome merge(String hostPath, List<TreeEdit> desired, MergedFile previous) {
    Path local = hostFs.local(hostPath);
    Optional<byte[]> current = writer.read(local);
    if (current.isEmpty() && desired.isEmpty()) {
      return new Outcome(null, false, List.of());
    }
    boolean createdFile = current.isEmpty() || (previous != null && previous.createdFile());
    ObjectNode root = current.isPresent() ? parse(hostPath, current.get()) : mapper.createObjectNode();
    JsonTreeMerger.Result result = merger.merge(root, desired, previous);
    boolean changed = result.changed() && save(hostPath, root, createdFile);
    MergedFile merged = result.added().isEmpty() && result.createdContainers().isEmpty()
        ? null
        : new MergedFile(hostPath, createdFile, result.added(), result.createdContainers());
    return new Outcome(merged, changed, result.conflicts());
  }

  /** Takes out what {@code previous} added. */
  public Outcome remove(MergedFile previous) {
    Optional<byte[]> current = writer.read(hostFs.local(previous.hostPath()));
    if (current.isEmpty()) {
      return new Outcome(null, false, List.of());
    }
    ObjectNode root = parse(previous.hostPath(), current.get());
    boolean changed = merger.remove(root, previous) && save(previous.hostPath(), root, previous.createdFile());
    return new Outcome(null, changed, List.of());
  }

  /** Takes out what every merged file of {@code previous} records; returns the host paths of the files that changed. */
  public List<String> removeAll(RuntimeFootprint previous) {
    return previous.mergedFiles().stream().filter(merged -> remove(merged).changed()).map(MergedFile::hostPath).toList();
  }

  private boolean save(String hostPath, ObjectNode root, boolean createdFile) {
    Path local = hostFs.local(hostPath);
    if (createdFile && root.isEmpty()) {
      return writer.delete(local);
    }
    byte[] content = serialise(hostPath, root);
    return (createdFile ? writer.write(local, content) : writer.writeWithBackup(local, content))
        != AtomicFileWriter.Outcome.UNCHANGED;
  }

  private ObjectNode parse(String hostPath, byte[] content) {
    if (new String(content, StandardCharsets.UTF_8).isBlank()) {
      return mapper.createObjectNode();
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(content);
    } catch (IOException e) {
      throw new IllegalStateException(hostPath + " cannot be parsed, so the agent leaves it alone: "
          + (e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage()), e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return mapper.createObjectNode();
    }
    if (!tree.isObject()) {
      throw new IllegalStateException(hostPath + " does not hold a mapping at the top, so the agent leaves it alone");
    }
    return (ObjectNode) tree;
  }

  private byte[] serialise(String hostPath, ObjectNode root) {
    try {
      String text = printer.writeValueAsString(root);
      return (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise " + hostPath, e);
    }
  }
}
