package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FileMeta;
import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.index.IndexStore;
import io.peersync.daemon.scan.ScanChange;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only node's local edits: found by the scanner, never announced, remembered by path for status and
 * {@code folder revert}, which puts the global version back.
 */
final class ReadOnlyChanges {
    private static final Logger log = LoggerFactory.getLogger(ReadOnlyChanges.class);

    private final FolderId id;
    private final FolderFs fs;
    private final IndexStore index;
    private final Lock commitLock;
    /** What happened to each locally changed path: added, modified or deleted. */
    private final Map<String, String> changes = new ConcurrentHashMap<>();

    ReadOnlyChanges(FolderId id, FolderFs fs, IndexStore index, Lock commitLock) {
        this.id = id;
        this.fs = fs;
        this.index = index;
        this.commitLock = commitLock;
    }

    /** Forgets the changes under {@code subtree} ("" for all): a scan of it is about to find them again. */
    void forgetUnder(String subtree) {
        changes.keySet().removeIf(p -> subtree.isEmpty() || p.equals(subtree) || p.startsWith(subtree + "/"));
    }

    /** Remembers what a scan found that differs from this node's records. */
    void note(List<ScanChange> found) {
        for (ScanChange change : found) {
            Optional<FileRecord> local = index.local(id, change.path());
            boolean present = local.isPresent() && !local.get().deleted();
            if (change instanceof ScanChange.Changed c) {
                if (present && local.get().sameContent(c.record())) {
                    continue;
                }
                changes.put(change.path(), present ? "modified" : "added");
            } else {
                changes.put(change.path(), "deleted");
            }
        }
        if (!changes.isEmpty()) {
            log.info("Folder {}: {} local changes on this read-only node are not synced (revert them with: "
                    + "peersync folder revert {})", id, changes.size(), id);
        }
    }

    /** Puts back the global version of every locally changed path (the puller fetches it); returns how many. */
    int revert() throws IOException {
        List<String> paths = new ArrayList<>(new TreeSet<>(changes.keySet()));
        commitLock.lock();
        try {
            // Children first, so a locally added directory is empty by the time it is archived.
            for (int i = paths.size() - 1; i >= 0; i--) {
                String path = paths.get(i);
                Optional<FileMeta> disk = fs.stat(path);
                if (disk.isPresent()) {
                    if (disk.get().isDirectory()) {
                        fs.delete(path);
                    } else {
                        fs.archive(path);
                    }
                }
            }
            index.removeLocal(id, paths);
            paths.forEach(changes::remove);
        } finally {
            commitLock.unlock();
        }
        log.info("Folder {}: reverted {} local changes", id, paths.size());
        return paths.size();
    }

    /** Locally changed paths, sorted, at most {@code limit}. */
    List<String> list(int limit) {
        return changes.keySet().stream().sorted().limit(limit).toList();
    }

    int count() {
        return changes.size();
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }
}
