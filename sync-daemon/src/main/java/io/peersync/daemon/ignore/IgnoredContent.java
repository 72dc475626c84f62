package io.peersync.daemon.ignore;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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

    private IgnoredContent() {
    }

    /** What is left under {@code dir} (on disk at {@code onDisk}, a directory); symlinks are never followed. */
    public static Left survey(Path onDisk, String dir, Rules rules) throws IOException {
        Left[] left = {Left.NOTHING_TO_KEEP};
        Files.walkFileTree(onDisk, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.equals(onDisk) ? FileVisitResult.CONTINUE : entry(d, true);
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                return entry(f, false);
            }

            private FileVisitResult entry(Path p, boolean directory) {
                String path = dir + "/" + onDisk.relativize(p).toString();
                if (!rules.ignored(path, directory)) {
                    if (directory) {
                        return FileVisitResult.CONTINUE; // a synced directory: what counts is what is in it
                    }
                    left[0] = Left.SYNCED_CONTENT;
                    return FileVisitResult.TERMINATE;
                }
                if (!rules.deletable(path, directory)) {
                    left[0] = Left.IGNORED_ONLY;
                }
                return FileVisitResult.SKIP_SUBTREE; // inside an ignored directory everything is ignored alike
            }
        });
        return left[0];
    }

    /**
     * Deletes the directory {@code dir} (at {@code onDisk}) that the peers deleted: false when it stays because it
     * holds ignored entries that must stay. Throws {@link DirectoryNotEmptyException} when it still holds synced
     * content.
     */
    public static boolean deleteDirectory(Path onDisk, String dir, Rules rules) throws IOException {
        try {
            Files.delete(onDisk);
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (DirectoryNotEmptyException e) {
            if (!Files.isDirectory(onDisk, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
            switch (survey(onDisk, dir, rules)) {
                case SYNCED_CONTENT -> throw e;
                case IGNORED_ONLY -> {
                    return false;
                }
                default -> {
                    MoreFiles.deleteRecursively(onDisk, RecursiveDeleteOption.ALLOW_INSECURE);
                    return true;
                }
            }
        }
    }
}
