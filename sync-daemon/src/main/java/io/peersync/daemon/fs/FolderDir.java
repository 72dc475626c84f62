package io.peersync.daemon.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One open directory of the folder (its {@code .peersync/} included) and the work done on its entries, each named by
 * one path component: the archive, the scan and the internal directories are handled through it. On Linux it is a
 * {@link DirectoryFd}, a descriptor opened beneath the root without following any symlink, so a directory swapped
 * for a symlink at any instant makes the step fail, never leads outside; where descriptors are not available it is
 * a {@link PathDir}, which checks for symlinks, then uses paths.
 */
interface FolderDir extends AutoCloseable {

    /** The directory {@code relative} beneath {@code root} (the root itself when empty). */
    static FolderDir open(Path root, String relative) throws IOException {
        return DirectoryFd.available() ? DirectoryFd.open(root, relative) : PathDir.open(root, relative);
    }

    /** The directory {@code relative} beneath {@code root}, made with the directories above it that are missing. */
    static FolderDir mkdirs(Path root, String relative) throws IOException {
        return DirectoryFd.available() ? DirectoryFd.mkdirs(root, relative) : PathDir.mkdirs(root, relative);
    }

    /** The directory {@code relative} beneath {@code root}, or empty when it or a directory above it is missing. */
    static Optional<FolderDir> openIfPresent(Path root, String relative) throws IOException {
        try {
            return Optional.of(open(root, relative));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Forces the entries of directory {@code relative} beneath {@code root} (renames into it) to disk. */
    static void fsync(Path root, String relative) throws IOException {
        try (FolderDir dir = open(root, relative)) {
            dir.fsync();
        }
    }

    /** The last component of a folder-relative path. */
    static String name(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    /** This directory as a path to list it by: the opened directory itself, whatever is at its path now. */
    Path listing();

    /** The names in this directory. */
    default List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(listing())) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        return names;
    }

    /** The attributes of the entry {@code name} itself (a symlink is not followed), or empty when there is none. */
    default Optional<BasicFileAttributes> stat(String name) throws IOException {
        try {
            return Optional.of(Files.readAttributes(entry(name), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The entry {@code name} as a path whose last component only is a name in this directory: only for calls that
     * do not follow that last component (reading attributes or a symlink with {@code NOFOLLOW_LINKS}, creating with
     * {@code CREATE_NEW}).
     */
    Path entry(String name);

    /** The target of the symlink {@code name}. */
    default String readLink(String name) throws IOException {
        return Files.readSymbolicLink(entry(name)).toString();
    }

    /**
     * The subdirectory {@code name}; {@link UnsafePathException} when it is a symlink or no directory (any more), as
     * when a local user swapped it meanwhile.
     */
    FolderDir child(String name) throws IOException;

    /** Makes the subdirectory {@code name} (mode 0777 less the umask). */
    void mkdir(String name) throws IOException;

    /** Makes the symlink {@code name} to {@code target}. */
    void symlink(String name, String target) throws IOException;

    /** Hard-links the entry {@code name} as {@code toName} in {@code to}; a symlink is linked itself, not followed. */
    void link(String name, FolderDir to, String toName) throws IOException;

    /** Renames the entry {@code name} to {@code toName} in {@code to}, replacing what is there (never following it). */
    void rename(String name, FolderDir to, String toName) throws IOException;

    /** Removes the file, symlink or empty directory {@code name}; false when nothing was there. */
    boolean delete(String name) throws IOException;

    /**
     * Runs {@code action} on the file {@code name}, opened without following a symlink there (one is refused with
     * {@link UnsafePathException}); the path given to the action leads to the opened file only.
     */
    <T> T onFile(String name, Beneath.Action<T> action) throws IOException;

    /** Forces this directory's entries to disk. */
    void fsync() throws IOException;

    @Override
    void close();
}
