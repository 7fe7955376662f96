package dev.berth.operator.nodeagent;

/**
 * A whole file the agent wrote (hosts.toml, ca.crt). Removal deletes it only while it still has the content the agent
 * wrote; when it replaced a user's file, the user's file comes back from its backup.
 *
 * @param hostPath         absolute path on the host
 * @param sha256           hex digest of the content the agent wrote
 * @param replacedUserFile a different file was there first and is kept in {@code <name>.berth-backup}
 */
public record OwnedFile(String hostPath, String sha256, boolean replacedUserFile) {}
