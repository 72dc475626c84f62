package io.peersync.daemon.index;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The block index of every shared folder: what this node has on disk (local), what each peer announced (remote),
 * the newest version of each path anyone has announced (global), and what this node lacks (need).
 * Calls may block on disk; never call from a Netty event loop. All writes are atomic.
 */
public interface IndexStore extends AutoCloseable {

    // ---- local: what is on this node's disk -------------------------------------------------------------

    Optional<FileRecord> local(FolderId folder, String path);

    /**
     * Records local changes in one atomic batch. Each record gets the next local sequence number (the
     * sequence field of the argument is ignored); returns the records as stored. Updates global, need and
     * the local block locations in the same batch.
     */
    List<FileRecord> commitLocal(FolderId folder, List<FileRecord> records);

    /** Forgets local records (e.g. to revert local edits of a read-only folder), so they are needed again. */
    void removeLocal(FolderId folder, java.util.Collection<String> paths);

    /** Local records with sequence &gt; {@code after}, in sequence order, at most {@code limit}. */
    List<FileRecord> localSince(FolderId folder, long after, int limit);

    /** Every local record, in path order, streamed. */
    void forEachLocal(FolderId folder, Consumer<FileRecord> action);

    /** Highest local sequence number assigned so far (0 when none). */
    long localSequence(FolderId folder);

    // ---- remote: what each peer announced -----------------------------------------------------------------

    /** Stores records a peer announced (newer replaces older for the same path) and updates global and need. */
    void applyRemote(FolderId folder, NodeId peer, List<FileRecord> records);

    Optional<FileRecord> remote(FolderId folder, NodeId peer, String path);

    /** Peers whose announced record of {@code path} has exactly the version of {@code record}. */
    Set<NodeId> peersHaving(FolderId folder, FileRecord record);

    // ---- global and need -------------------------------------------------------------------------------------

    Optional<FileRecord> global(FolderId folder, String path);

    /** Global records this node lacks (newer than local, or absent locally), in path order, at most {@code limit}. */
    List<FileRecord> need(FolderId folder, String afterPath, int limit);

    /** Counts for status. */
    FolderCounts counts(FolderId folder);

    // ---- blocks -----------------------------------------------------------------------------------------------

    /** Some local file (any folder on this node) that holds a block with this hash, if any. */
    Optional<BlockLocation> findBlock(FolderId folder, Hash hash);

    // ---- folder lifetime ------------------------------------------------------------------------------------

    /** Removes everything known about a folder (it is no longer shared). */
    void dropFolder(FolderId folder);

    /** Small per-folder or per-node values (e.g. the sequence a peer last sent us). */
    Optional<byte[]> meta(String key);

    void putMeta(String key, byte[] value);

    @Override
    void close();
}
