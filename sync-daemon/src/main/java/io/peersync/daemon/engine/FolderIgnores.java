package io.peersync.daemon.engine;

import io.peersync.daemon.ignore.IgnoreFile;
import io.peersync.daemon.ignore.IgnoreRules;
import io.peersync.daemon.ignore.IgnoredContent;
import io.peersync.daemon.index.FolderCounts;
import io.peersync.daemon.index.IndexStore;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder's {@code .peersyncignore} rules as of the last scan, or of the last pull of the file: ignored paths are
 * never scanned or pulled. Encrypted folders ignore nothing (they cannot read paths).
 */
final class FolderIgnores {
    private static final Logger log = LoggerFactory.getLogger(FolderIgnores.class);
    private static final int COUNT_PAGE = 1000;
    private static final int MAX_COUNT_PAGES = 100;

    private final FolderId id;
    private final IgnoreFile file;
    private final boolean encrypted;
    private final Runnable onChange;
    private volatile IgnoreRules rules = IgnoreRules.none();

    /** {@code onChange} runs when the rules on disk changed (what is needed may have changed). */
    FolderIgnores(FolderId id, Path root, boolean encrypted, Runnable onChange) {
        this.id = id;
        this.file = IgnoreFile.of(root);
        this.encrypted = encrypted;
        this.onChange = onChange;
    }

    /** Takes the rules as they are on disk now (cheap when unchanged). */
    void refresh() throws IOException {
        IgnoreRules current = file.current();
        if (current != rules) {
            current.problems().forEach(p -> log.warn("Folder {}: {}: {}", id, IgnoreFile.NAME, p));
            rules = current;
            onChange.run();
        }
    }

    /** {@link #refresh} if the applied paths include the ignore file: a peer's new rules apply here now. */
    void refreshIfAmong(List<String> paths) {
        if (paths.contains(IgnoreFile.NAME)) {
            try {
                refresh();
            } catch (IOException e) {
                log.warn("Folder {}: cannot read {}: {}", id, IgnoreFile.NAME, e.getMessage());
            }
        }
    }

    boolean ignored(String path, boolean directory) {
        return !encrypted && rules.isIgnored(path, directory);
    }

    /** The rules as {@link IgnoredContent} asks them, as of now. */
    IgnoredContent.Rules contentRules() {
        return IgnoredContent.Rules.of(this::ignored, (path, directory) -> !encrypted && rules.isDeletable(path, directory));
    }

    /** The counts without needed files that are ignored here: they will never be pulled. */
    FolderCounts withoutIgnoredNeeds(IndexStore index, FolderCounts c) {
        if (rules.isEmpty() || c.needFiles() == 0 && c.needBytes() == 0) {
            return c;
        }
        long files = 0;
        long bytes = 0;
        String after = "";
        for (int pages = 0; pages < MAX_COUNT_PAGES; pages++) {
            List<FileRecord> page = index.need(id, after, COUNT_PAGE);
            for (FileRecord r : page) {
                if (!r.deleted() && r.type() == FileType.FILE && ignored(r.path(), false)) {
                    files++;
                    bytes += r.size();
                }
                after = r.path();
            }
            if (page.size() < COUNT_PAGE) {
                break;
            }
        }
        return new FolderCounts(c.localFiles(), c.localBytes(), c.globalFiles(), c.globalBytes(),
                c.needFiles() - files, c.needBytes() - bytes);
    }
}
