package dev.berth.operator.nodeagent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Installs and removes whole files the agent owns (hosts.toml, ca.crt) and the directories made for them. */
public final class OwnedFileInstaller {
  private final HostFs hostFs;
  private final AtomicFileWriter writer = new AtomicFileWriter();

  public OwnedFileInstaller(HostFs hostFs) {
    this.hostFs = hostFs;
  }

  /**
   * The outcome of {@link #sync}: the files and directories the agent now owns, whether any file changed, and notes
   * about files left in place.
   */
  public record SyncResult(List<OwnedFile> files, List<String> createdDirs, boolean changed, List<String> notes) {}

  /**
   * Makes the owned files exactly {@code desired} (host path to content): writes those that differ, removes those
   * {@code previous} owned and no longer wanted, and removes directories the agent made that became empty.
   */
  public SyncResult sync(Map<String, byte[]> desired, RuntimeFootprint previous) {
    boolean changed = false;
    var notes = new ArrayList<String>();
    for (OwnedFile old : previous.files()) {
      if (!desired.containsKey(old.hostPath())) {
        String note = remove(old);
        if (note.isEmpty()) {
          changed = true;
        } else {
          notes.add(note);
        }
      }
    }
    var dirs = new LinkedHashSet<>(previous.createdDirs());
    var files = new ArrayList<OwnedFile>();
    for (Map.Entry<String, byte[]> entry : desired.entrySet()) {
      dirs.addAll(createDirectories(Path.of(entry.getKey()).getParent().toString()));
      Optional<byte[]> before = writer.read(hostFs.local(entry.getKey()));
      install(entry.getKey(), entry.getValue(), previous).ifPresent(files::add);
      changed |= before.isEmpty() || !Arrays.equals(before.get(), entry.getValue());
    }
    removeDirectories(List.copyOf(dirs));
    dirs.removeIf(dir -> !Files.isDirectory(hostFs.local(dir)));
    return new SyncResult(files, List.copyOf(dirs), changed, notes);
  }

  /** Removes everything {@code previous} owns; returns notes about files left in place. */
  public List<String> removeAll(RuntimeFootprint previous) {
    var notes = new ArrayList<String>();
    for (OwnedFile file : previous.files()) {
      String note = remove(file);
      if (!note.isEmpty()) {
        notes.add(note);
      }
    }
    removeDirectories(previous.createdDirs());
    return notes;
  }

  /** Creates the host directory and its missing parents; returns those it created, outermost first. */
  public List<String> createDirectories(String hostDir) {
    var missing = new ArrayList<String>();
    for (Path dir = Path.of(hostDir); dir != null && dir.getParent() != null; dir = dir.getParent()) {
      if (Files.isDirectory(hostFs.local(dir.toString()))) {
        break;
      }
      missing.add(0, dir.toString());
    }
    try {
      Files.createDirectories(hostFs.local(hostDir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + hostDir + ": " + e.getMessage(), e);
    }
    return missing;
  }

  /**
   * Writes {@code content} at {@code hostPath}. Returns the record of ownership, or empty when an identical file of
   * the user's is already there (it stays the user's and removal leaves it).
   */
  public Optional<OwnedFile> install(String hostPath, byte[] content, RuntimeFootprint previous) {
    Path local = hostFs.local(hostPath);
    Optional<OwnedFile> owned = previous.files().stream().filter(f -> f.hostPath().equals(hostPath)).findFirst();
    String digest = sha256(content);
    if (owned.isPresent()) {
      writer.write(local, content);
      return Optional.of(new OwnedFile(hostPath, digest, owned.get().replacedUserFile()));
    }
    Optional<byte[]> current = writer.read(local);
    if (current.isPresent() && Arrays.equals(current.get(), content)) {
      return Optional.empty();
    }
    if (current.isPresent()) {
      writer.writeWithBackup(local, content);
      return Optional.of(new OwnedFile(hostPath, digest, true));
    }
    writer.write(local, content);
    return Optional.of(new OwnedFile(hostPath, digest, false));
  }

  /**
   * Removes a file the agent wrote, or puts back the user's file it replaced. A file changed since the agent wrote it
   * is left in place; the returned note says so (empty when all went as expected).
   */
  public String remove(OwnedFile file) {
    Path local = hostFs.local(file.hostPath());
    Optional<byte[]> current = writer.read(local);
    if (current.isEmpty()) {
      return "";
    }
    if (!sha256(current.get()).equals(file.sha256())) {
      return file.hostPath() + " was changed after the agent wrote it; left in place";
    }
    Path backup = AtomicFileWriter.backupOf(local);
    try {
      if (file.replacedUserFile() && Files.exists(backup)) {
        Files.move(backup, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        writer.delete(local);
      }
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file.hostPath() + ": " + e.getMessage(), e);
    }
  }

  /** Removes the directories the agent created, deepest first, as far as they are empty. */
  public void removeDirectories(List<String> hostDirs) {
    var deepestFirst = new ArrayList<>(hostDirs);
    deepestFirst.sort(Comparator.comparingInt((String dir) -> Path.of(dir).getNameCount()).reversed());
    for (String dir : deepestFirst) {
      try {
        Files.deleteIfExists(hostFs.local(dir));
      } catch (DirectoryNotEmptyException e) {
        // something else lives there now: it stays
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove directory " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
