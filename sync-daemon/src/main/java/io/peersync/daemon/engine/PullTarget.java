package io.peersync.daemon.engine;

import io.peersync.daemon.config.MinFree;
import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.ignore.IgnoredContent;
import io.peersync.daemon.index.BlockLocation;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.secret.ContentCipher;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * All the {@link Puller}, {@link SetPull} and {@link FilePull} may see of their folder: what it needs, where it
 * stands, the disk, and what to tell the folder once something is on disk. {@link FolderSync} implements it by
 * handing each call to the part that owns it; nothing else of the folder is reachable from a pull.
 */
interface PullTarget {
    FolderId id();

    FolderFs fs();

    /** The node stores ciphertext: directories and symlinks live in its index only, nothing is archived. */
    boolean encrypted();

    /** The node may change the folder (it signs records): conflicts keep the local side as a conflict copy. */
    boolean readWrite();

    Optional<ContentCipher> cipher();

    FolderActivity counters();

    /** The free space pulls must leave on the disk. */
    MinFree minFree();

    /** Taken around every write to the folder's disk that a scan must not interleave with. */
    Lock commitLock();

    /** This node's record of a path. */
    Optional<FileRecord> local(String path);

    /** Global versions this node lacks, by path after {@code after}, at most {@code limit}. */
    List<FileRecord> need(String after, int limit);

    /** Where this node holds a block with this hash, if anywhere. */
    Optional<BlockLocation> findBlock(Hash hash);

    /** Connected member peers that announced exactly this version of a file. */
    List<Member> sources(FileRecord record);

    /** True when no member of this change set that is still missing here can arrive from a connected peer. */
    boolean setSettled(List<FileRecord> members);

    /** True when {@code .peersyncignore} says to leave this path alone. */
    boolean ignored(String path, boolean directory);

    /** The ignore rules as deleting a directory that holds ignored files asks them. */
    IgnoredContent.Rules contentRules();

    /** Stores what the pull put on disk as this node's version (resigned under a merged vector after a conflict). */
    void commitPulled(List<FileRecord> records);

    /** Gives a file sync wrote the configured owner and group, if any. */
    void own(String path) throws IOException;

    /** The disk does not hold what the index says: scan this path again. */
    void rescan(String path);

    /** Tells the member peers about new local records. */
    void announce();

    /** Marks paths sync is writing now, so the watcher does not take them for local edits. */
    void wrote(Collection<String> paths);

    /** Watches a directory again after it was swapped for a new one. */
    void rewatch(String dir);

    /** Runs {@code task} on the folder's worker {@code seconds} from now. */
    void later(Runnable task, long seconds);

    /** Runs what follows applied changes: new ignore rules, the after-sync hook. */
    void afterChanges(List<String> paths);

    /** Shows the folder in error with this one-sentence message. */
    void setError(String message);

    /** Clears the error if it is one of this kind (it recovered). */
    void clearErrorStartingWith(String prefix);
}
