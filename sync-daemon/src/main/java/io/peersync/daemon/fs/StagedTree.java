package io.peersync.daemon.fs;

import java.io.IOException;

/**
 * A copy of one directory of the folder, built under {@code .peersync/tmp/} (unchanged files hard-linked, so it
 * costs no data), changed there, then swapped with the live directory in one atomic step. Paths are relative to
 * the staged directory.
 */
public interface StagedTree extends AutoCloseable {

    /** The folder-relative directory this tree will replace. */
    String directory();

    /** Moves a finished, fsynced temp file to {@code relative} in the tree, replacing what is there. */
    void put(String relative, String tempName) throws IOException;

    void mkdirs(String relative, int mode) throws IOException;

    /** Creates a symlink; refuses a target that would point outside the folder from the live location. */
    void symlink(String relative, String target) throws IOException;

    /** Removes a file, symlink or empty directory from the tree; false when nothing was there. */
    boolean delete(String relative) throws IOException;

    /** {@link FolderFs#deleteDirectory} in the tree: false when the directory stays for ignored entries. */
    boolean deleteDirectory(String relative, io.peersync.daemon.ignore.IgnoredContent.Rules rules) throws IOException;

    /**
     * After {@link #swap}: keeps what local processes did in the live directory while the set was staged, since the
     * copy was made: files created or replaced there move into the new tree, files deleted there go from it, except
     * at the paths the set itself changed ({@code changedBySet}, relative) and inside the directories it deleted
     * ({@code deletedBySet}: what they still held was left there on purpose, or kept for ignored files). Runs again
     * when the tree is closed, for writes into the old tree after the swap. Returns how many entries it carried.
     */
    int keepLocalWrites(java.util.Set<String> changedBySet, java.util.Set<String> deletedBySet) throws IOException;

    /** Sets an entry's permission bits. */
    void setMode(String relative, int mode) throws IOException;

    /** Forces the tree's directory entries to disk, so the swap publishes only durable data. */
    void fsync() throws IOException;

    /**
     * Atomically exchanges the tree with the live directory; the old tree is then what this object holds. Returns
     * how long the exchange itself took, in nanoseconds.
     */
    long swap() throws IOException;

    /**
     * After {@link #swap}: keeps the old versions of these files (paths relative to the tree) in the versions
     * archive, each under its own name as if archived one by one.
     */
    void archiveOld(java.util.List<String> relatives) throws IOException;

    /** Removes whatever the tree still holds (an abandoned stage, or the old tree when it is not kept). */
    @Override
    void close();
}
