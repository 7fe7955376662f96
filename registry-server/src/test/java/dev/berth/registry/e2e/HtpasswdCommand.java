package dev.berth.registry.e2e;

import dev.berth.registry.testsupport.BoundedCommand;
import dev.berth.registry.testsupport.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opentest4j.AssertionFailedError;

/** Writes an htpasswd file with the real {@code htpasswd -B} (apache2-utils), as an admin would. */
final class HtpasswdCommand {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private final ExternalTool tool;

  private HtpasswdCommand(ExternalTool tool) {
    this.tool = tool;
  }

  /** htpasswd from PATH; fails under CI, skips elsewhere when it is missing. */
  static HtpasswdCommand require() {
    return new HtpasswdCommand(ExternalTool.require("htpasswd", "apache2-utils"));
  }

  /** Creates {@code file} holding one bcrypt entry per user, in the map's order. */
  Path write(Path file, Map<String, String> passwordsByUser) {
    boolean first = true;
    for (Map.Entry<String, String> user : passwordsByUser.entrySet()) {
      run(file, user.getKey(), user.getValue(), first);
      first = false;
    }
    return file;
  }

  /** Adds {@code user} to an existing {@code file}, or changes their password, as {@code htpasswd -B -b} does. */
  Path set(Path file, String user, String password) {
    run(file, user, password, false);
    return file;
  }

  private void run(Path file, String user, String password, boolean create) {
    List<String> command = new ArrayList<>(List.of(tool.path().toString(), "-B", "-b"));
    if (create) {
      command.add("-c");
    }
    command.addAll(List.of(file.toString(), user, password));
    BoundedCommand.run(command, LIMIT).assertSuccess();
    try {
      if (!Files.readString(file).contains(user + ":$2y$")) {
        throw new AssertionFailedError("htpasswd -B wrote no bcrypt entry for " + user + " into " + file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
