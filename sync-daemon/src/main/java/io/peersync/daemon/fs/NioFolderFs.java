package io.peersync.daemon.fs;

import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The real {@link FolderFs}: JDK NIO on the local disk. Thread-safe; holds no open files between calls. */
public final class NioFolderFs implements FolderFs {
    static final String TMP_DIR = FolderPath.INTERNAL_DIR + "/tmp";
    static final String ARCHIVE_DIR = FolderPath.INTERNAL_DIR + "/archive";
    static final String MARKER = FolderPath.INTERNAL_DIR + "/folder-marker";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final Path tmpDir;
    private final Clock clock;
    private final FolderWalk scan;

    /**
     * Opens the folder at {@code root}, making {@code .peersync/tmp} and {@code .peersync/archive} where missing,
     * beneath the root: a symlink at {@code .peersync} or either of them is refused, never followed.
     */
    private NioFolderFs(Path root, Clock clock) throws IOException {
        this.root = root.toRealPath();
        this.tmpDir = this.root.resolve(TMP_DIR);
        this.clock = clock;
        this.scan = new FolderWalk(this.root);
        FolderDir.mkdirs(this.root, TMP_DIR).close();
        FolderDir.mkdirs(this.root, ARCHIVE_DIR).close();
        removeStaleStages();
    }

    /** Sets up a folder being added: creates the root, {@code .peersync/tmp}, {@code .peersync/archive} and the marker. */
    public static NioFolderFs init(Path root, Clock clock) throws IOException {
        Files.createDirectories(root);
        NioFolderFs fs = new NioFolderFs(root, clock);
        try (FolderDir internal = FolderDir.open(fs.root, FolderPath.INTERNAL_DIR)) {
            String name = FolderDir.name(MARKER);
            if (internal.stat(name).isEmpty()) {
                // CREATE_NEW: a symlink put there meanwhile is not followed
                Files.writeString(internal.entry(name), "peersync folder marker: do not delete\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        }
        return fs;
    }

    public static NioFolderFs init(Path root) throws IOException {
        return init(root, Clock.systemDefaultZone());
    }

    /** Opens a folder set up before; fails when its marker is missing (unmounted disk, moved folder). */
    public static NioFolderFs open(Path root, Clock clock) throws IOException {
        if (!hasMarker(root)) {
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
        if (!hasMarker(root)) {
            throw new NoSuchFileException(root.resolve(MARKER).toString(), null,
                    "folder marker missing (expected: present; folder unmounted or moved?)");
        }
    }

    /** Whether the marker is a regular file, looked up beneath {@code root} ({@code .peersync} a symlink: refused). */
    private static boolean hasMarker(Path root) throws IOException {
        Optional<FolderDir> internal = FolderDir.openIfPresent(root, FolderPath.INTERNAL_DIR);
        if (internal.isEmpty()) {
            return false;
        }
        try (FolderDir dir = internal.get()) {
            return dir.stat(FolderDir.name(MARKER)).map(a -> a.isRegularFile()).orElse(false);
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------

    @Override
    public Optional<FileMeta> stat(String path) throws IOException {
        return scan.stat(path);
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
        scan.walk(start, visitor);
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
        try (FolderDir tmp = FolderDir.open(root, TMP_DIR)) {
            for (String name : tmp.names()) {
                try {
                    Map<String, Object> a = Files.readAttributes(tmp.entry(name), "unix:size,ctime,isRegularFile",
                            NOFOLLOW);
                    if (Boolean.TRUE.equals(a.get("isRegularFile"))) {
                        out.add(new TempFile(name, (Long) a.get("size"), ((FileTime) a.get("ctime")).toInstant()));
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
        String checked = checkTempName(name);
        try (FolderDir tmp = FolderDir.open(root, TMP_DIR)) {
            Path p = tmp.entry(checked);
            return create
                    ? FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                            NOFOLLOW)
                    : FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, NOFOLLOW);
        }
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
        String checked = checkTempName(name);
        try (FolderDir tmp = FolderDir.open(root, TMP_DIR)) {
            tmp.delete(checked);
        }
    }

    @Override
    public void prepareTemp(String name, long mtimeNanos, int mode) throws IOException {
        prepareTempUnsynced(name, mtimeNanos, mode);
        fsyncTemp(name);
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
            FileSystemSync.sync(root); // the file system of the root and of .peersync/tmp in it
            return;
        }
        for (String name : names) {
            fsyncTemp(name);
        }
    }

    // A read-only descriptor is enough for fsync, and works when the new mode has no owner write bit.
    private void fsyncTemp(String name) throws IOException {
        String checked = checkTempName(name);
        try (FolderDir tmp = FolderDir.open(root, TMP_DIR)) {
            tmp.onFile(checked, NioFolderFs::force);
        }
    }

    /** Forces an opened file's content, or a directory's entries, to disk. */
    static Void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
        return null;
    }

    @Override
    public void moveTemp(String name, String path, boolean fsyncParent) throws IOException {
        String temp = tempRelative(name);
        resolve(path);
        createParents(path);
        move(temp, path);
        if (fsyncParent) {
            fsyncDir(FolderPath.parent(path));
        }
    }

    @Override
    public void fsyncDirectory(String path) throws IOException {
        if (!path.isEmpty()) {
            resolve(path);
        }
        fsyncDir(path);
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
        writeModeBeneath(path, dir, mode);
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
        Optional<FileMeta> meta = stat(path);
        if (meta.isEmpty()) {
            throw new NoSuchFileException(source.toString(), null, "nothing to archive");
        }
        if (meta.get().isDirectory()) {
            throw new IOException("archive " + path + ": is a directory (expected: a file or symlink)");
        }
        String archived = freshArchiveName(path);
        FolderDir.mkdirs(root, FolderPath.parent(archived)).close();
        move(path, archived);
        fsyncDir(FolderPath.parent(path));
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
        return archiveDir().freshName(path);
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
        fsyncDir(FolderPath.parent(to));
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
            onEntryItself(path, p, e -> {
                chown(Files.getFileAttributeView(e, java.nio.file.attribute.PosixFileAttributeView.class, NOFOLLOW),
                        user, grp);
                return null;
            });
        }
    }

    /**
     * Runs {@code action} on the entry {@code path} (at {@code p}) itself, for a call that does not follow it: as
     * its name in its parent opened beneath the root, so that no parent swapped for a symlink is followed either.
     */
    private <T> T onEntryItself(String path, Path p, Beneath.Action<T> action) throws IOException {
        if (!DirectoryFd.available()) {
            return action.on(p);
        }
        try (FolderDir parent = FolderDir.open(root, FolderPath.parent(path))) {
            return action.on(parent.entry(FolderDir.name(path)));
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
        } else { // a symlink itself, or no safe descriptors on this system
            onEntryItself(path, p, e -> {
                Files.getFileAttributeView(e, BasicFileAttributeView.class, NOFOLLOW).setTimes(mtime, null, null);
                return null;
            });
        }
    }

    @Override
    public void setMode(String path, int mode) throws IOException {
        checkMode(mode);
        Path p = resolve(path);
        if (Files.isSymbolicLink(p)) {
            return; // a symlink has no mode of its own
        }
        writeModeBeneath(path, p, mode);
    }

    /** Sets the permission bits of {@code path} (at {@code p}) through a descriptor opened beneath the root. */
    private void writeModeBeneath(String path, Path p, int mode) throws IOException {
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
        resolve(path); // validates it, and refuses a symlinked parent with a message of its own
        return archiveDir().keepCopy(path);
    }

    @Override
    public List<ArchivedVersion> archived(String path) throws IOException {
        return archiveDir().list(path);
    }

    @Override
    public void restoreArchived(String archivePath, String path) throws IOException {
        resolve(path); // refuses an unsafe target before anything is written
        String temp = "restore-" + java.util.UUID.randomUUID();
        try (FolderDir tmp = FolderDir.open(root, TMP_DIR)) {
            try {
                archiveDir().copyOut(archivePath, path, tmp, temp, clock.instant());
                moveTemp(temp, path);
            } finally {
                tmp.delete(temp);
            }
        }
    }

    @Override
    public int pruneArchive(int keepPerPath, java.time.Duration maxAge) throws IOException {
        return archiveDir().prune(keepPerPath, maxAge);
    }

    private ArchiveDir archiveDir() {
        return new ArchiveDir(root, clock);
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

    /** Forces the entries of directory {@code relative} to disk, opened beneath the root ("" is the root). */
    private void fsyncDir(String relative) throws IOException {
        FolderDir.fsync(root, relative);
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

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder sb = new StringBuilder(9);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }
}
