package dev.berth.operator.nodeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** Loads and saves {@link AgentState} as {@code state.json} in the agent's directory, atomically. */
public final class AgentStateStore {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private final Path file;
  private final AtomicFileWriter writer = new AtomicFileWriter();

  public AgentStateStore(Path stateDir) {
    this.file = stateDir.resolve("state.json");
  }

  public AgentState load() {
    Optional<byte[]> content = writer.read(file);
    if (content.isEmpty()) {
      return AgentState.empty();
    }
    try {
      return JSON.readValue(content.get(), AgentState.class);
    } catch (IOException e) {
      // without it the agent cannot tell its settings from the user's, so it must not guess
      throw new IllegalStateException(file + " is unreadable (" + e.getMessage()
          + "); fix or remove it by hand after checking what the agent had added", e);
    }
  }

  public void save(AgentState state) {
    try {
      writer.write(file, JSON.writeValueAsBytes(state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + file, e);
    }
  }
}
