package io.peersync.daemon.ignore;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A directory the peers deleted may still hold what this node ignores (a plugin's log, a cache): synced entries go,
 * ignored ones stay, and so does the directory, unless everything left is ignored by a {@code (?d)} rule, which
 * lets it go. Directories themselves never count as content: only what is in them (recursively).
 */
public final class IgnoredContent {
    /** What is left under a directory once its synced content is gone. */
    public enum Left {
        /** Nothing, or only what {@code (?d)} rules ignore: the directory can go. */
        NOTHING_TO_KEEP,
        /** Ignored entries that must stay: the directory stays, for them. */
        IGNORED_ONLY,
        /** Something that is not ignored: a local change not scanned yet, or a deletion still to come. */
        SYNCED_CONTENT
    }

    /** Whether a folder path is ignored, and whether it is ignored by a {@code (?d)} rule. */
    public interface Rules {
        boolean ignored(String path, boolean directory);

        boolean deletable(String path, boolean directory);

        /** Rules from two predicates of (path, is a directory). */
        static Rules of(BiPredicate<String, Boolean> ignored, BiPredicate<String, Boolean> deletable) {
            return new Rules() {
                @Override
                public boolean ignored(String path, boolean directory) {
                    return ignored.test(path, directory);
                }

                @Override
                public boolean deletable(String path, boolean directory) {
                    return deletable.test(path, directory);
                }
            };
        }
    }

    /** A directory on disk as it is surveyed and deleted; symlinks in it are never followed. */
    public interface Tree {
        /** The names in the directory {@code relative} to this one (empty: this one). */
        List<String> names(String relative) throws IOException;

        /** Whether the entry {@code relative} to this directory is a directory (a symlink to one is not). */
        boolean isDirectory(String relative) throws IOException;

        /**
         * Removes this directory when it is empty (or what is there when it is no directory); nothing there is no
         * error, one that holds something is {@link DirectoryNotEmptyException}.
         */
        void deleteIfEmpty() throws IOException;

        /** Removes this directory with everything in it. */
        void deleteAll() throws IOException;

        /** The directory at {@code onDisk}, by path. */
        static Tree at(Path onDisk) {
            return new Tree() {
                @Override
                public List<String> names(String relative) throws IOException {
                    List<String> names = new ArrayList<>();
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(onDisk.resolve(relative))) {
                        entries.forEach(entry -> names.add(entry.getFileName().toString()));
                    }
                    return names;
                }

                @Override
                public boolean isDirectory(String relative) {
                    return Files.isDirectory(onDisk.resolve(relative), LinkOption.NOFOLLOW_LINKS);
                }

                @Override
                public void deleteIfEmpty() throws IOException {
                    Files.deleteIfExists(onDisk);
                }

                @Override
                public void deleteAll() throws IOException {
                    MoreFiles.deleteRecursively(onDisk, RecursiveDeleteOption.ALLOW_INSECURE);
                }
            };
        }
    }

    private IgnoredContent() {
    }

    /** What is left under {@code dir} (on disk at {@code onDisk}, a directory); symlinks are never followed. */
    public static Left survey(Path onDisk, String dir, Rules rules) throws IOException {
        return survey(Tree.at(onDisk), "", dir, rules);
    }

    /** What is left in {@code tree}'s directory {@code relative}, {@code dir} being the tree's folder path. */
    private static Left survey(Tree tree, String relative, String dir, Rules rules) throws IOException {
        Left left = Left.NOTHING_TO_KEEP;
        for (String name : tree.names(relative)) {
            String entry = relative.isEmpty() ? name : relative + "/" + name;
            boolean directory = tree.isDirectory(entry);
            String path = dir + "/" + entry;
            if (!rules.ignored(path, directory)) {
                // A synced directory counts for what is in it; inside an ignored one everything is ignored alike.
                Left inside = directory ? survey(tree, entry, dir, rules) : Left.SYNCED_CONTENT;
                if (inside == Left.SYNCED_CONTENT) {
                    return inside;
                }
                if (inside == Left.IGNORED_ONLY) {
                    left = inside;
                }
            } else if (!rules.deletable(path, directory)) {
                left = Left.IGNORED_ONLY;
            }
        }
        return left;
    }

    /** {@link #deleteDirectory(Tree, String, Rules)} of the directory at {@code onDisk}, by path. */
    public static boolean deleteDirectory(Path onDisk, String dir, Rules rules) throws IOException {
        return deleteDirectory(Tree.at(onDisk), dir, rules);
    }

    /**
     * Deletes the directory {@code dir} (on disk as {@code tree}) that the peers deleted: false when it stays because
     * it holds ignored entries that must stay. Throws {@link DirectoryNotEmptyException} when it still holds synced
     * content.
     */
    public static boolean deleteDirectory(Tree tree, String dir, Rules rules) throws IOException {
        try {
            tree.deleteIfEmpty();
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (DirectoryNotEmptyException e) {
            switch (survey(tree, "", dir, rules)) {
                case SYNCED_CONTENT -> throw e;
                case IGNORED_ONLY -> {
                    return false;
                }
                default -> {
                    tree.deleteAll();
                    return true;
                }
            }
        }
    }
}
