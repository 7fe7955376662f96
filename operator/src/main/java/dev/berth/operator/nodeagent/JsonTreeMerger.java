package dev.berth.operator.nodeagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges the agent's settings into a parsed user file (JSON or YAML, both Jackson trees) without touching anything
 * else, and takes them out again. Ownership is tracked: a setting the user already had is never claimed, so removal
 * leaves it; a setting the user changed after the agent wrote it is left alone too.
 */
public final class JsonTreeMerger {

  /**
   * Result of a merge.
   *
   * @param changed           the tree differs from before
   * @param added             the edits the agent now owns
   * @param createdContainers the containers the agent created and that still exist
   * @param conflicts         settings the agent could not make because the user has a different value there
   */
  public record Result(
      boolean changed, List<TreeEdit> added, List<List<String>> createdContainers, List<String> conflicts) {}

  /**
   * Makes {@code root} hold every edit of {@code desired}, removing edits the agent made before ({@code previous})
   * that are no longer desired.
   */
  public Result merge(ObjectNode root, List<TreeEdit> desired, MergedFile previous) {
    List<TreeEdit> previouslyAdded = previous == null ? List.of() : previous.added();
    Set<List<String>> created = new LinkedHashSet<>(previous == null ? List.of() : previous.createdContainers());
    boolean changed = false;
    for (TreeEdit stale : previouslyAdded) {
      if (!desired.contains(stale)) {
        changed |= undo(root, stale);
      }
    }
    var owned = new ArrayList<TreeEdit>();
    var conflicts = new ArrayList<String>();
    for (TreeEdit edit : desired) {
      switch (apply(root, edit, created)) {
        case ADDED -> {
          owned.add(edit);
          changed = true;
        }
        case PRESENT -> {
          if (previouslyAdded.contains(edit)) {
            owned.add(edit);
          }
        }
        case CONFLICT -> conflicts.add(edit.describe() + " is already set to "
            + describeCurrent(root, edit) + " in the file; left unchanged");
      }
    }
    changed |= prune(root, created);
    return new Result(changed, owned, List.copyOf(created), conflicts);
  }

  /** Takes out everything {@code previous} records; true when the tree changed. */
  public boolean remove(ObjectNode root, MergedFile previous) {
    boolean changed = false;
    for (TreeEdit edit : previous.added()) {
      changed |= undo(root, edit);
    }
    changed |= prune(root, new LinkedHashSet<>(previous.createdContainers()));
    return changed;
  }

  private enum Applied { ADDED, PRESENT, CONFLICT }

  private static Applied apply(ObjectNode root, TreeEdit edit, Set<List<String>> created) {
    List<String> path = edit.path();
    ObjectNode parent = parentOf(root, path, created);
    if (parent == null) {
      return Applied.CONFLICT;
    }
    String key = path.get(path.size() - 1);
    JsonNode current = parent.get(key);
    if (edit.arrayElement()) {
      if (current == null || current.isNull()) {
        parent.putArray(key).add(edit.value());
        created.add(path);
        return Applied.ADDED;
      }
      if (!current.isArray()) {
        return Applied.CONFLICT;
      }
      for (JsonNode element : current) {
        if (element.equals(edit.value())) {
          return Applied.PRESENT;
        }
      }
      ((ArrayNode) current).add(edit.value());
      return Applied.ADDED;
    }
    if (current == null || current.isNull()) {
      parent.set(key, edit.value().deepCopy());
      return Applied.ADDED;
    }
    return current.equals(edit.value()) ? Applied.PRESENT : Applied.CONFLICT;
  }

  /** The object holding the edit's last key, creating missing objects on the way; null when a non-object blocks. */
  private static ObjectNode parentOf(ObjectNode root, List<String> path, Set<List<String>> created) {
    ObjectNode node = root;
    for (int depth = 0; depth < path.size() - 1; depth++) {
      String key = path.get(depth);
      JsonNode child = node.get(key);
      if (child == null || child.isNull()) {
        child = node.putObject(key);
        created.add(path.subList(0, depth + 1));
      } else if (!child.isObject()) {
        return null;
      }
      node = (ObjectNode) child;
    }
    return node;
  }

  /** Removes one edit if it is still as the agent made it. */
  private static boolean undo(ObjectNode root, TreeEdit edit) {
    JsonNode parent = at(root, edit.path().subList(0, edit.path().size() - 1));
    if (parent == null || !parent.isObject()) {
      return false;
    }
    String key = edit.path().get(edit.path().size() - 1);
    JsonNode current = parent.get(key);
    if (current == null) {
      return false;
    }
    if (edit.arrayElement()) {
      if (!current.isArray()) {
        return false;
      }
      ArrayNode array = (ArrayNode) current;
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).equals(edit.value())) {
          array.remove(i);
          return true;
        }
      }
      return false;
    }
    if (current.equals(edit.value())) {
      ((ObjectNode) parent).remove(key);
      return true;
    }
    return false;
  }

  /** Removes the created containers that are now empty, deepest first; keeps in {@code created} those that remain. */
  private static boolean prune(ObjectNode root, Set<List<String>> created) {
    boolean changed = false;
    var deepestFirst = new ArrayList<>(created);
    deepestFirst.sort(Comparator.comparingInt((List<String> path) -> path.size()).reversed());
    for (List<String> path : deepestFirst) {
      JsonNode node = at(root, path);
      if (node == null) {
        created.remove(path);
      } else if ((node.isObject() || node.isArray()) && node.isEmpty()) {
        JsonNode parent = at(root, path.subList(0, path.size() - 1));
        ((ObjectNode) parent).remove(path.get(path.size() - 1));
        created.remove(path);
        changed = true;
      }
    }
    return changed;
  }

  /** The node under the object keys {@code path}, or null where a key is missing or a step is not an object. */
  static JsonNode at(JsonNode root, List<String> path) {
    JsonNode node = root;
    for (String key : path) {
      if (node == null || !node.isObject()) {
        return null;
      }
      node = node.get(key);
    }
    return node;
  }

  private static String describeCurrent(ObjectNode root, TreeEdit edit) {
    for (int depth = 1; depth <= edit.path().size(); depth++) {
      JsonNode node = at(root, edit.path().subList(0, depth));
      if (node != null && !node.isObject()) {
        return node.toString();
      }
    }
    return "something else";
  }
}
