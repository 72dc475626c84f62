package io.peersync.daemon.fs;

import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The real {@link FolderFs}: JDK NIO on the local disk. Thread-safe; holds no open files between calls. */
public final class NioFolderFs implements FolderFs {
    private static final Logger log = LoggerFactory.getLogger(NioFolderFs.class);

    static final String TMP_DIR = FolderPath.INTERNAL_DIR + "/tmp";
    static final String ARCHIVE_DIR = FolderPath.INTERNAL_DIR + "/archive";
    static final String MARKER = FolderPath.INTERNAL_DIR + "/folder-marker";
    private static final DateTimeFormatter ARCHIVE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final Path tmpDir;
    private final Path archiveDir;
    private final Clock clock;

    private NioFolderFs(Path root, Clock clock) throws IOException {
        this.root = root.toRealPath();
        this.tmpDir = this.root.resolve(TMP_DIR);
        this.archiveDir = this.root.resolve(ARCHIVE_DIR);
        this.clock = clock;
        Files.createDirectories(tmpDir);
        Files.createDirectories(archiveDir);
        removeStaleStages();
    }

    /** Sets up a folder being added: creates the root, {@code .peersync/tmp}, {@code .peersync/archive} and the marker. */
    public static NioFolderFs init(Path root, Clock clock) throws IOException {
        Files.createDirectories(root);
        NioFolderFs fs = new NioFolderFs(root, clock);
        Path marker = fs.root.resolve(MARKER);
        if (!Files.exists(marker, NOFOLLOW)) {
            Files.writeString(marker, "peersync folder marker: do not delete\n", StandardCharsets.UTF_8);
        }
        return fs;
    }

    public static NioFolderFs init(Path root) throws IOException {
        return init(root, Clock.systemDefaultZone());
    }

    /** Opens a folder set up before; fails when its marker is missing (unmounted disk, moved folder). */
    public static NioFolderFs open(Path root, Clock clock) throws IOException {
        if (!Files.isRegularFile(root.resolve(MARKER), NOFOLLOW)) {
            throw new NoSuchFileException(root.resolve(MARKER).toString(), null,
                    "folder marker missing (expected: a folder set up by peersync; unmounted or moved?)");
        }
        return new NioFolderFs(root, clock);
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public void checkMarker() throws IOException {
        Path marker = root.resolve(MARKER);
        if (!Files.isRegularFile(marker, NOFOLLOW)) {
            throw new NoSuchFileException(marker.toString(), null,
                    "folder marker missing (expected: present; folder unmounted or moved?)");
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------

    @Override
    public Optional<FileMeta> stat(String path) throws IOException {
        FolderPath.validate(path);
        Path p = root.resolve(path);
        if (!parentsAreDirectories(path)) {
            return Optional.empty();
        }
        return readMeta(p);
    }

    @Override
    public InputStream openRead(String path) throws IOException {
        return java.nio.channels.Channels.newInputStream(openReadChannel(path));
    }

    @Override
    public FileChannel openReadChannel(String path) throws IOException {
        if (Beneath.available()) {
            return Beneath.openRead(root, path);
        }
        return FileChannel.open(resolve(path), StandardOpenOption.READ, NOFOLLOW);
    }

    @Override
    public void walk(String start, Visitor visitor) throws IOException {
        Deque<String> dirs = new ArrayDeque<>();
        if (start.isEmpty()) {
            dirs.push("");
        } else {
            Optional<FileMeta> meta = stat(start);
            if (meta.isEmpty() || !visitor.visit(start, meta.get()) || !meta.get().isDirectory()) {
                return;
            }
            dirs.push(start);
        }
        while (!dirs.isEmpty()) {
            String dir = dirs.pop();
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.isEmpty() ? root : root.resolve(dir))) {
                for (Path entry : entries) {
                    names.add(entry.getFileName().toString());
                }
            } catch (IOException e) {
                visitor.failed(dir, e);
                continue;
            }
            names.sort(null);
            List<String> subdirs = new ArrayList<>();
            for (String name : names) {
                String child = dir.isEmpty() ? name : dir + "/" + name;
                if (FolderPath.isInternal(child)) {
                    continue;
                }
                try {
                    FolderPath.validate(child);
                } catch (IllegalArgumentException e) {
                    log.warn("{}: not syncing {}: {}", root, FolderPath.printable(child), e.getMessage());
                    continue;
                }
                Optional<FileMeta> meta;
                try {
                    meta = readMeta(root.resolve(child));
                } catch (IOException e) {
                    visitor.failed(child, e);
                    continue;
                }
                if (meta.isPresent() && visitor.visit(child, meta.get()) && meta.get().isDirectory()) {
                    subdirs.add(child);
                }
            }
            // Pushed in reverse so that the stack pops them in name order: a depth-first, sorted walk.
            for (int i = subdirs.size() - 1; i >= 0; i--) {
                dirs.push(subdirs.get(i));
            }
        }
    }

    @Override
    public long freeSpace() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
    }

    @Override
    public long totalSpace() throws IOException {
        return Files.getFileStore(root).getTotalSpace();
    }

    @Override
    public List<TempFile> temps() throws IOException {
        List<TempFile> out = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(tmpDir)) {
            for (Path p : entries) {
                try {
                    Map<String, Object> a = Files.readAttributes(p, "unix:size,ctime,isRegularFile",
                            LinkOption.NOFOLLOW_LINKS);
                    if (Boolean.TRUE.equals(a.get("isRegularFile"))) {
                        out.add(new TempFile(p.getFileName().toString(), (Long) a.get("size"),
                                ((FileTime) a.get("ctime")).toInstant()));
                    }
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                }
            }
        }
        return out;
    }

    // ---- writing through .peersync/tmp -------------------------------------------------------------------

    @Override
    public Path tempFile(String name) {
        return tmpDir.resolve(checkTempName(name));
    }

    @Override
    public FileChannel openTemp(String name, boolean create) throws IOException {
        Path p = tempFile(name);
        return create
                ? FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE, NOFOLLOW)
                : FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, NOFOLLOW);
    }

    @Override
    public void writeAt(FileChannel channel, long offset, ByteBuffer data) throws IOException {
        long position = offset;
        while (data.hasRemaining()) {
            position += channel.write(data, position);
        }
    }

    @Override
    public void fsyncAndClose(FileChannel channel) throws IOException {
        try (channel) {
            channel.force(true);
        }
    }

    @Override
    public void deleteTemp(String name) throws IOException {
        Files.deleteIfExists(tempFile(name));
    }

    @Override
    public void prepareTemp(String name, long mtimeNanos, int mode) throws IOException {
        prepareTempUnsynced(name, mtimeNanos, mode);
        fsyncTemp(tempFile(name));
    }

    @Override
    public void prepareTempUnsynced(String name, long mtimeNanos, int mode) throws IOException {
        Path temp = tempFile(name);
        checkMode(mode);
        Beneath.Action<Void> prepare = p -> {
            Files.getFileAttributeView(p, BasicFileAttributeView.class)
                    .setTimes(FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS), null, null);
            writeMode(p, mode);
            return null;
        };
        if (Beneath.available()) {
            Beneath.at(root, root.relativize(temp).toString(), prepare);
        } else {
            prepare.on(temp);
        }
    }

    @Override
    public void fsyncTemps(java.util.Collection<String> names) throws IOException {
        if (names.isEmpty()) {
            return;
        }
        if (names.size() > 1 && FileSystemSync.available()) {
            FileSystemSync.sync(tempFile(names.iterator().next()).getParent());
            return;
        }
        for (String name : names) {
            fsyncTemp(tempFile(name));
        }
    }

    // A read-only descriptor is enough for fsync, and works when the new mode has no owner write bit.
    private static void fsyncTemp(Path temp) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void moveTemp(String name, String path, boolean fsyncParent) throws IOException {
        Path temp = tempFile(name);
        Path target = resolve(path);
        createParents(path);
        move(root.relativize(temp).toString(), path);
        if (fsyncParent) {
            fsyncDir(target.getParent());
        }
    }

    @Override
    public void fsyncDirectory(String path) throws IOException {
        fsyncDir(path.isEmpty() ? root : resolve(path));
    }

    // ---- changing the folder -----------------------------------------------------------------------------

    @Override
    public void mkdirs(String path, int mode) throws IOException {
        checkMode(mode);
        Path dir = resolve(path);
        createParents(path);
        if (!Files.isDirectory(dir, NOFOLLOW)) {
            createDirectory(path);
        }
        writeMode(dir, mode);
    }

    @Override
    public boolean delete(String path) throws IOException {
        Path p = resolve(path);
        if (Beneath.available()) {
            return Beneath.delete(root, path, Files.isDirectory(p, NOFOLLOW));
        }
        return Files.deleteIfExists(p);
    }

    @Override
    public boolean deleteDirectory(String path, io.peersync.daemon.ignore.IgnoredContent.Rules rules)
            throws IOException {
        Path dir = resolve(path);
        return io.peersync.daemon.ignore.IgnoredContent.deleteDirectory(DirectoryFd.available()
                ? DirectoryFd.tree(root, path) : io.peersync.daemon.ignore.IgnoredContent.Tree.at(dir), path, rules);
    }

    @Override
    public String archive(String path) throws IOException {
        Path source = resolve(path);
        Optional<FileMeta> meta = readMeta(source);
        if (meta.isEmpty()) {
            throw new NoSuchFileException(source.toString(), null, "nothing to archive");
        }
        if (meta.get().isDirectory()) {
            throw new IOException("archive " + path + ": is a directory (expected: a file or symlink)");
        }
        String archived = freshArchiveName(path);
        if (DirectoryFd.available()) {
            DirectoryFd.mkdirs(root, FolderPath.parent(archived)).close();
        } else {
            Files.createDirectories(root.resolve(archived).getParent());
        }
        move(path, archived);
        fsyncDir(source.getParent());
        return archived;
    }

    /** Staged trees live only while one change set is applied; any found at open were left by a crash. */
    private void removeStaleStages() throws IOException {
        if (!DirectoryFd.available()) {
            return; // nothing is staged without descriptors
        }
        List<String> names;
        try (DirectoryFd tmp = DirectoryFd.open(root, TMP_DIR)) {
            names = tmp.names();
        }
        for (String name : names) {
            if (name.startsWith("stage-")) {
                new NioStagedTree(this, "", TMP_DIR + "/" + name).close();
            }
        }
    }

    /** An unused archive name for folder path {@code path}: {@code .peersync/archive/PATH~STAMP[-n]}. */
    String freshArchiveName(String path) throws IOException {
        String stamp = ARCHIVE_STAMP.format(clock.instant().atZone(clock.getZone()));
        String archived = ARCHIVE_DIR + "/" + path + "~" + stamp;
        for (int n = 2; exists(archived); n++) {
            archived = ARCHIVE_DIR + "/" + path + "~" + stamp + "-" + n;
        }
        return archived;
    }

    /** Whether anything is at {@code path} (a symlink is not followed), looked up beneath the root. */
    private boolean exists(String path) throws IOException {
        if (DirectoryFd.available()) {
            return DirectoryFd.statAt(root, path).isPresent();
        }
        return Files.exists(root.resolve(path), NOFOLLOW);
    }

    @Override
    public java.util.Optional<StagedTree> stage(String dir) throws IOException {
        if (!DirectoryFd.available() || dir.isEmpty()) {
            return java.util.Optional.empty();
        }
        resolve(dir);
        if (!DirectoryFd.isDirectoryAt(root, dir)) {
            return java.util.Optional.empty();
        }
        String name = "stage-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        NioStagedTree tree = new NioStagedTree(this, dir, TMP_DIR + "/" + name);
        try {
            tree.copyLive();
        } catch (IOException | RuntimeException e) {
            try {
                tree.close();
            } catch (java.io.UncheckedIOException left) {
                e.addSuppressed(left); // removed at the next start; why the copy failed matters more
            }
            throw e;
        }
        return java.util.Optional.of(tree);
    }

    /** The temp file {@code name}, relative to the root. */
    String tempRelative(String name) {
        return TMP_DIR + "/" + checkTempName(name);
    }

    static void writeModeOf(Path p, int mode) throws IOException {
        writeMode(p, mode);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Path source = resolve(from);
        Path dest = resolve(to);
        if (Files.exists(dest, NOFOLLOW)) {
            throw new FileAlreadyExistsException(dest.toString());
        }
        createParents(to);
        move(from, to);
        fsyncDir(dest.getParent());
    }

    /** An atomic rename within the folder (its {@code .peersync/} included) that follows no symlinked parent. */
    private void move(String from, String to) throws IOException {
        if (Beneath.available()) {
            Beneath.rename(root, from, to);
        } else {
            Files.move(root.resolve(from), root.resolve(to), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    @Override
    public void createSymlink(String path, String target) throws IOException {
        Path link = resolve(path);
        SymlinkTargets.resolveInside(path, target);
        createParents(path);
        if (Beneath.available()) {
            Beneath.symlink(root, path, target);
        } else {
            Files.createSymbolicLink(link, link.getFileSystem().getPath(target));
        }
    }

    @Override
    public void setOwner(String path, String owner, String group) throws IOException {
        java.nio.file.attribute.UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
        java.nio.file.attribute.UserPrincipal user = owner != null ? users.lookupPrincipalByName(owner) : null;
        java.nio.file.attribute.GroupPrincipal grp = group != null ? users.lookupPrincipalByGroupName(group) : null;
        Path p = resolve(path);
        if (Beneath.available() && !Files.isSymbolicLink(p)) {
            Beneath.at(root, path, d -> {
                chown(Files.getFileAttributeView(d, java.nio.file.attribute.PosixFileAttributeView.class), user, grp);
                return null;
            });
        } else { // a symlink itself (lchown), or no safe descriptors on this system
            chown(Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class, NOFOLLOW),
                    user, grp);
        }
    }

    private static void chown(java.nio.file.attribute.PosixFileAttributeView view,
                              java.nio.file.attribute.UserPrincipal user,
                              java.nio.file.attribute.GroupPrincipal group) throws IOException {
        if (user != null) {
            view.setOwner(user);
        }
        if (group != null) {
            view.setGroup(group);
        }
    }

    @Override
    public void checkOwner(String owner, String group) throws IOException {
        java.nio.file.attribute.UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
        if (owner != null) {
            users.lookupPrincipalByName(owner);
        }
        if (group != null) {
            users.lookupPrincipalByGroupName(group);
        }
    }

    @Override
    public void setTimes(String path, long mtimeNanos) throws IOException {
        FileTime mtime = FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS);
        Path p = resolve(path);
        if (Beneath.available() && !Files.isSymbolicLink(p)) {
            Beneath.at(root, path, d -> {
                Files.getFileAttributeView(d, BasicFileAttributeView.class).setTimes(mtime, null, null);
                return null;
            });
        } else {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(mtime, null, null);
        }
    }

    @Override
    public void setMode(String path, int mode) throws IOException {
        checkMode(mode);
        Path p = resolve(path);
        if (Files.isSymbolicLink(p)) {
            return; // a symlink has no mode of its own
        }
        if (Beneath.available()) {
            Beneath.at(root, path, d -> {
                writeMode(d, mode);
                return null;
            });
        } else {
            writeMode(p, mode);
        }
    }

    @Override
    public String toString() {
        return "NioFolderFs[" + root + "]";
    }

    // ---- the versions archive ------------------------------------------------------------------------------

    @Override
    public String archiveCopy(String path) throws IOException {
        Path source = resolve(path);
        Optional<FileMeta> meta = readMeta(source);
        if (meta.isEmpty()) {
            throw new NoSuchFileException(source.toString(), null, "nothing to archive");
        }
        if (meta.get().isDirectory()) {
            throw new IOException("archive " + path + ": is a directory (expected: a file or symlink)");
        }
        return archiveDir().keepCopy(path, source, meta.get().type() == FileType.SYMLINK);
    }

    @Override
    public List<ArchivedVersion> archived(String path) throws IOException {
        return archiveDir().list(path);
    }

    @Override
    public void restoreArchived(String archivePath, String path) throws IOException {
        Path version = archiveDir().resolve(archivePath);
        resolve(path); // refuses an unsafe target before anything is written
        String temp = "restore-" + java.util.UUID.randomUUID();
        Path tempPath = tempFile(temp);
        try {
            if (Files.isSymbolicLink(version)) {
                String target = Files.readSymbolicLink(version).toString();
                SymlinkTargets.resolveInside(path, target);
                Files.createSymbolicLink(tempPath, version.getFileSystem().getPath(target));
            } else {
                Files.copy(version, tempPath, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                // A restore is a new local edit: a fresh mtime makes it the newest version for scanner and peers.
                Files.setLastModifiedTime(tempPath, FileTime.from(clock.instant()));
                ArchiveDir.fsync(tempPath);
            }
            moveTemp(temp, path);
        } finally {
            Files.deleteIfExists(tempPath);
        }
    }

    @Override
    public int pruneArchive(int keepPerPath, java.time.Duration maxAge) throws IOException {
        return archiveDir().prune(keepPerPath, maxAge);
    }

    private ArchiveDir archiveDir() {
        return new ArchiveDir(root, tmpDir, clock);
    }

    // ---- path safety and helpers ---------------------------------------------------------------------------

    /**
     * The absolute path of a folder path, refusing one with a symlink among its existing parents: a symlinked
     * directory inside the folder must not let a write or read land outside it. (A symlink swapped in between this
     * check and the operation is not caught; only this node's user can do that.)
     */
    private Path resolve(String path) throws IOException {
        FolderPath.validate(path);
        String parent = FolderPath.parent(path);
        if (!parent.isEmpty()) {
            Path p = root;
            for (String part : parent.split("/")) {
                p = p.resolve(part);
                if (Files.isSymbolicLink(p)) {
                    throw new UnsafePathException("path " + path + ": parent " + root.relativize(p)
                            + " is a symlink (expected: real directories only; refusing to follow it)");
                }
                if (!Files.exists(p, NOFOLLOW)) {
                    break;
                }
            }
        }
        return root.resolve(path);
    }

    private boolean parentsAreDirectories(String path) {
        String parent = FolderPath.parent(path);
        if (parent.isEmpty()) {
            return true;
        }
        Path p = root;
        for (String part : parent.split("/")) {
            p = p.resolve(part);
            if (!Files.isDirectory(p, NOFOLLOW)) {
                return false;
            }
        }
        return true;
    }

    private void createParents(String path) throws IOException {
        String parent = FolderPath.parent(path);
        if (parent.isEmpty()) {
            return;
        }
        Path p = root;
        for (String part : parent.split("/")) {
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw new UnsafePathException("path " + path + ": parent " + root.relativize(p)
                        + " is a symlink (expected: real directories only; refusing to follow it)");
            }
            if (!Files.isDirectory(p, NOFOLLOW)) {
                createDirectory(root.relativize(p).toString());
            }
        }
    }

    /** mkdir in a parent reached beneath the root (no symlinked parent), or by path where that is not available. */
    private void createDirectory(String path) throws IOException {
        if (Beneath.available()) {
            Beneath.mkdir(root, path);
        } else {
            Files.createDirectory(root.resolve(path));
        }
    }

    private static Optional<FileMeta> readMeta(Path p) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(p,
                    "unix:mode,size,lastModifiedTime,isRegularFile,isDirectory,isSymbolicLink", NOFOLLOW);
            return meta(p, (Boolean) a.get("isRegularFile"), (Boolean) a.get("isDirectory"),
                    (Boolean) a.get("isSymbolicLink"), (Long) a.get("size"),
                    (FileTime) a.get("lastModifiedTime"), ((Integer) a.get("mode")) & 0777);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // No "unix" attribute view on this platform: POSIX permissions only, without setuid, setgid and sticky.
            try {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW);
                return meta(p, a.isRegularFile(), a.isDirectory(), a.isSymbolicLink(), a.size(),
                        a.lastModifiedTime(), permissionBits(a.permissions()));
            } catch (NoSuchFileException | NotDirectoryException e2) {
                return Optional.empty();
            }
        }
    }

    private static Optional<FileMeta> meta(Path p, boolean file, boolean dir, boolean link, long size,
                                           FileTime mtime, int mode) throws IOException {
        long nanos = mtime.to(TimeUnit.NANOSECONDS);
        if (file) {
            return Optional.of(new FileMeta(FileType.FILE, size, nanos, mode, ""));
        } else if (dir) {
            return Optional.of(new FileMeta(FileType.DIRECTORY, 0, nanos, mode, ""));
        } else if (link) {
            return Optional.of(new FileMeta(FileType.SYMLINK, 0, nanos, mode, Files.readSymbolicLink(p).toString()));
        }
        return Optional.empty(); // fifo, socket, device: nothing sync can carry
    }

    /**
     * Applies permission bits only: setuid, setgid and sticky never come from a peer (a file made setuid on one node
     * is not setuid on another whose daemon runs as root).
     */
    private static void writeMode(Path p, int mode) throws IOException {
        writeRawMode(p, mode & 0777);
    }

    private static void writeRawMode(Path p, int mode) throws IOException {
        try {
            Files.setAttribute(p, "unix:mode", mode);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            Files.setPosixFilePermissions(p, permissions(mode));
        }
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void checkMode(int mode) {
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode: " + Integer.toOctalString(mode) + " (expected: 0 to 7777 octal)");
        }
    }

    private static String checkTempName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || name.getBytes(StandardCharsets.UTF_8).length > FolderPath.MAX_COMPONENT_BYTES) {
            throw new IllegalArgumentException("temp name: " + name + " (expected: one path component)");
        }
        return name;
    }

    private static int permissionBits(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder sb = new StringBuilder(9);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }
}
