/**
 * Where the registry keeps content: {@link dev.berth.registry.storage.RegistryStorage} and its filesystem
 * implementation {@link dev.berth.registry.storage.FilesystemStorage}.
 *
 * <p><b>Layout.</b> Exactly the CNCF distribution 2.8 ({@code registry:2}) filesystem layout under
 * {@code <root>/docker/registry/v2} (see {@code StorageLayout}), so a registry:2 volume is served unchanged and
 * registry:2 can serve a Berth volume. Manifests are blobs too. Berth-only data lives in sidecars registry:2 never
 * reads, under {@code repositories/<name>/_berth/}: the Content-Type each manifest was pushed with
 * ({@code manifests/<alg>/<hex>/mediatype}) and the referrers index ({@code referrers/<subject>/<referrer>/descriptor.json},
 * plus a {@code referrers-indexed} marker once a repository's older manifests were indexed). Without them (a root
 * registry:2 wrote) the media type comes from the manifest's {@code mediaType} field or its shape, and referrers are
 * indexed on first request.
 *
 * <p><b>Crash safety.</b> Every file is written as a temp file ({@code .berth-tmp-*}) in the target directory, fsynced,
 * renamed over the target, and the directory fsynced. Completed uploads are renamed into the blob store only after
 * their digest is verified. Writes are ordered so that anything a reader can reach is complete: blob data before the
 * link naming it, a manifest's blob and revision link before any tag, a tag's index link before its current link.
 * Leftovers of a crash (temp files, half uploads, unlinked blobs) are invisible to readers;
 * {@link dev.berth.registry.storage.StorageMaintenance} sweeps temp files and week-old uploads, and unlinked blobs are
 * left to garbage collection.
 *
 * <p><b>Concurrency.</b> Safe for many request threads. Identical concurrent writes (same blob, same manifest) are
 * idempotent renames; tag updates and deletes by digest are serialised per key within the process. Several processes
 * sharing one directory are safe for pushes and pulls but may race on concurrent tag deletes.
 *
 * <p><b>Listings.</b> The catalog is an in-memory sorted set ({@code RepositoryIndex}) read from disk on first use,
 * added to by this process's writes and re-read by {@link dev.berth.registry.storage.ListingRefresher}; tag lists are
 * cached per repository while the tags directory's mtime holds ({@code TagListCache}). Another writer's changes show
 * within {@code storage.listings.refresh}.
 */
package dev.berth.registry.storage;
