package io.peersync.daemon.fs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FolderFs} decorator for tests that injects disk faults: disk full or EIO on chosen operations, after a
 * number of bytes written, or after a number of bytes read through {@link #openRead}. Thread-safe.
 */
public final class FaultyFolderFs implements FolderFs {

    /** The error to inject, with the message the OS would give. */
    public enum Fault {
        DISK_FULL("No space left on device"),
        EIO("Input/output error");

        private final String message;

        Fault(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }

        IOException exception(String where) {
            return new IOException(where + ": " + message);
        }
    }

    /** The operations a fault can be attached to. */
    public enum Op {
        STAT, OPEN_READ, WALK, OPEN_TEMP, WRITE, FSYNC, COMMIT, MKDIRS, DELETE, ARCHIVE, SYMLINK, SET_TIMES, SET_MODE
    }

    private final FolderFs delegate;
    private final Map<Op, Fault> opFaults = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private volatile long writeLimit = Long.MAX_VALUE;
    private volatile Fault writeFault = Fault.DISK_FULL;
    private volatile long readLimit = Long.MAX_VALUE;
    private volatile Fault readFault = Fault.EIO;
    private volatile Long reportedFreeSpace;

    public FaultyFolderFs(FolderFs delegate) {
        this.delegate = delegate;
    }

    /** Every later call of {@code op} fails with {@code fault}. */
    public FaultyFolderFs failOn(Op op, Fault fault) {
        opFaults.put(op, fault);
        return this;
    }

    /** Writes succeed for {@code bytes} more bytes in total (a write crossing the limit is partial), then fail. */
    public FaultyFolderFs failWritesAfter(long bytes, Fault fault) {
        written.set(0);
        writeLimit = bytes;
        writeFault = fault;
        return this;
    }

    /** Streams from {@link #openRead} deliver {@code bytes} more bytes in total, then fail. */
    public FaultyFolderFs failReadsAfter(long bytes, Fault fault) {
        read.set(0);
        readLimit = bytes;
        readFault = fault;
        return this;
    }

    /** Makes {@link #freeSpace} report {@code bytes}. */
    public FaultyFolderFs reportFreeSpace(long bytes) {
        reportedFreeSpace = bytes;
        return this;
    }

    /** Removes every injected fault. */
    public FaultyFolderFs heal() {
        opFaults.clear();
        writeLimit = Long.MAX_VALUE;
        readLimit = Long.MAX_VALUE;
        reportedFreeSpace = null;
        return this;
    }

    /** Bytes written through {@link #writeAt} since the write limit was last set. */
    public long bytesWritten() {
        return written.get();
    }

    private void check(Op op, String where) throws IOException {
        Fault f = opFaults.get(op);
        if (f != null) {
            throw f.exception(op.name().toLowerCase() + " " + where);
        }
    }

    @Override
    public Path root() {
        return delegate.root();
    }

    @Override
    public void checkMarker() throws IOException {
        delegate.checkMarker();
    }

    @Override
    public Optional<FileMeta> stat(String path) throws IOException {
        check(Op.STAT, path);
        return delegate.stat(path);
    }

    @Override
    public InputStream openRead(String path) throws IOException {
        check(Op.OPEN_READ, path);
        return new FaultyInputStream(delegate.openRead(path), path);
    }

    @Override
    public FileChannel openReadChannel(String path) throws IOException {
        check(Op.OPEN_READ, path);
        return delegate.openReadChannel(path);
    }

    @Override
    public void walk(String start, Visitor visitor) throws IOException {
        check(Op.WALK, start);
        delegate.walk(start, visitor);
    }

    @Override
    public long freeSpace() throws IOException {
        Long reported = reportedFreeSpace;
        return reported != null ? reported : delegate.freeSpace();
    }

    @Override
    public long totalSpace() throws IOException {
        return delegate.totalSpace();
    }

    @Override
    public java.util.List<TempFile> temps() throws IOException {
        return delegate.temps();
    }

    @Override
    public Path tempFile(String name) {
        return delegate.tempFile(name);
    }

    @Override
    public FileChannel openTemp(String name, boolean create) throws IOException {
        check(Op.OPEN_TEMP, name);
        return delegate.openTemp(name, create);
    }

    @Override
    public void writeAt(FileChannel channel, long offset, ByteBuffer data) throws IOException {
        check(Op.WRITE, "at " + offset);
        long allowed = writeLimit - written.get();
        if (allowed >= data.remaining()) {
            int n = data.remaining();
            delegate.writeAt(channel, offset, data);
            written.addAndGet(n);
            return;
        }
        if (allowed > 0) {
            ByteBuffer part = data.duplicate();
            part.limit(part.position() + (int) allowed);
            delegate.writeAt(channel, offset, part);
            data.position(part.position());
            written.addAndGet(allowed);
        }
        throw writeFault.exception("write at " + (offset + Math.max(allowed, 0)));
    }

    @Override
    public void fsyncAndClose(FileChannel channel) throws IOException {
        Fault f = opFaults.get(Op.FSYNC);
        if (f != null) {
            channel.close();
            throw f.exception("fsync");
        }
        delegate.fsyncAndClose(channel);
    }

    @Override
    public void deleteTemp(String name) throws IOException {
        check(Op.DELETE, name);
        delegate.deleteTemp(name);
    }

    @Override
    public void prepareTemp(String name, long mtimeNanos, int mode) throws IOException {
        check(Op.FSYNC, name);
        delegate.prepareTemp(name, mtimeNanos, mode);
    }

    @Override
    public void prepareTempUnsynced(String name, long mtimeNanos, int mode) throws IOException {
        delegate.prepareTempUnsynced(name, mtimeNanos, mode);
    }

    @Override
    public void fsyncTemps(java.util.Collection<String> names) throws IOException {
        for (String name : names) {
            check(Op.FSYNC, name);
        }
        delegate.fsyncTemps(names);
    }

    @Override
    public void moveTemp(String name, String path, boolean fsyncParent) throws IOException {
        check(Op.COMMIT, path);
        delegate.moveTemp(name, path, fsyncParent);
    }

    @Override
    public void fsyncDirectory(String path) throws IOException {
        check(Op.FSYNC, path);
        delegate.fsyncDirectory(path);
    }

    @Override
    public void commitTemp(String name, String path, long mtimeNanos, int mode) throws IOException {
        check(Op.COMMIT, path);
        delegate.commitTemp(name, path, mtimeNanos, mode);
    }

    @Override
    public java.util.Optional<StagedTree> stage(String dir) throws IOException {
        check(Op.COMMIT, dir);
        return delegate.stage(dir);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        check(Op.ARCHIVE, from);
        delegate.rename(from, to);
    }

    @Override
    public void setOwner(String path, String owner, String group) throws IOException {
        check(Op.SET_MODE, path);
        delegate.setOwner(path, owner, group);
    }

    @Override
    public void checkOwner(String owner, String group) throws IOException {
        delegate.checkOwner(owner, group);
    }

    @Override
    public void mkdirs(String path, int mode) throws IOException {
        check(Op.MKDIRS, path);
        delegate.mkdirs(path, mode);
    }

    @Override
    public boolean delete(String path) throws IOException {
        check(Op.DELETE, path);
        return delegate.delete(path);
    }

    @Override
    public boolean deleteDirectory(String path, io.peersync.daemon.ignore.IgnoredContent.Rules rules)
            throws IOException {
        check(Op.DELETE, path);
        return delegate.deleteDirectory(path, rules);
    }

    @Override
    public String archive(String path) throws IOException {
        check(Op.ARCHIVE, path);
        return delegate.archive(path);
    }

    @Override
    public void createSymlink(String path, String target) throws IOException {
        check(Op.SYMLINK, path);
        delegate.createSymlink(path, target);
    }

    @Override
    public void setTimes(String path, long mtimeNanos) throws IOException {
        check(Op.SET_TIMES, path);
        delegate.setTimes(path, mtimeNanos);
    }

    @Override
    public void setMode(String path, int mode) throws IOException {
        check(Op.SET_MODE, path);
        delegate.setMode(path, mode);
    }

    @Override
    public String archiveCopy(String path) throws IOException {
        check(Op.ARCHIVE, path);
        return delegate.archiveCopy(path);
    }

    @Override
    public java.util.List<ArchivedVersion> archived(String path) throws IOException {
        check(Op.STAT, path);
        return delegate.archived(path);
    }

    @Override
    public void restoreArchived(String archivePath, String path) throws IOException {
        check(Op.COMMIT, path);
        delegate.restoreArchived(archivePath, path);
    }

    @Override
    public int pruneArchive(int keepPerPath, java.time.Duration maxAge) throws IOException {
        check(Op.DELETE, "archive");
        return delegate.pruneArchive(keepPerPath, maxAge);
    }

    private final class FaultyInputStream extends FilterInputStream {
        private final String path;

        FaultyInputStream(InputStream in, String path) {
            super(in);
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long allowed = readLimit - read.get();
            if (allowed <= 0 && len > 0) {
                throw readFault.exception("read " + path);
            }
            int n = super.read(b, off, (int) Math.min(len, allowed));
            if (n > 0) {
                read.addAndGet(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            int len = (int) Math.min(Math.max(n, 0), 8192);
            return Math.max(0, read(new byte[len], 0, len));
        }
    }
}
