package dev.berth.registry.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * One upstream fetch of one blob, shared by every client that asked for it meanwhile. The fetcher appends to a spool
 * file while it writes the storage's upload; readers follow the spool as it grows. The last byte is held back until
 * the storage has verified the digest, so a client can never complete a download of wrong bytes: on a mismatch the
 * fetch fails and readers' connections are cut short of the announced length.
 */
public final class BlobFetch {
  enum State { RUNNING, STORED, FAILED }

  private final long size;
  private final Path spool;
  private final Set<Runnable> listeners = new CopyOnWriteArraySet<>();
  private volatile long written;
  private volatile State state = State.RUNNING;
  private volatile String failure;
  private boolean spoolRemoved;

  BlobFetch(long size, Path spool) {
    this.size = size;
    this.spool = spool;
  }

  /** A fetch that found the blob already stored: readers go to the storage. */
  static BlobFetch alreadyStored(long size) {
    BlobFetch fetch = new BlobFetch(size, null);
    fetch.state = State.STORED;
    fetch.spoolRemoved = true;
    return fetch;
  }

  /** The blob's size, as the upstream announced it. */
  public long size() {
    return size;
  }

  /** How far a reader may read: everything once stored, until then all but the last byte. */
  public long readable() {
    return state == State.STORED ? size : Math.max(0, Math.min(written, size - 1));
  }

  public boolean stored() {
    return state == State.STORED;
  }

  public boolean failed() {
    return state == State.FAILED;
  }

  public String failure() {
    return failure;
  }

  /** Told (from the fetching thread) whenever more bytes are readable, or the fetch ended. */
  public void listen(Runnable listener) {
    listeners.add(listener);
  }

  public void unlisten(Runnable listener) {
    listeners.remove(listener);
  }

  /**
   * Opens the spool for reading, or empty when the fetch is over and the spool is gone: then the blob is in storage
   * (or the fetch failed). An open channel keeps reading after the file is unlinked.
   */
  public synchronized Optional<FileChannel> openSpool() {
    if (spoolRemoved) {
      return Optional.empty();
    }
    try {
      return Optional.of(FileChannel.open(spool, StandardOpenOption.READ));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spool of a cached blob", e);
    }
  }

  void progressed(long total) {
    written = total;
    notifyListeners();
  }

  void succeeded() {
    state = State.STORED;
    removeSpool();
    notifyListeners();
  }

  void failed(String why) {
    failure = why;
    state = State.FAILED;
    removeSpool();
    notifyListeners();
  }

  private synchronized void removeSpool() {
    spoolRemoved = true;
    try {
      Files.deleteIfExists(spool);
    } catch (IOException ignored) {
      // a leftover spool file is removed by a later start once it is old (BlobFetcher.LEFTOVER_AGE)
    }
  }

  private void notifyListeners() {
    listeners.forEach(Runnable::run);
  }
}
