package io.peersync.daemon.lifecycle;

import io.peersync.daemon.config.AtomicFiles;
import io.peersync.daemon.config.ConfigStore;
import io.peersync.daemon.ignore.IgnoreFile;
import io.peersync.daemon.ignore.Presets;
import io.peersync.daemon.config.DaemonConfig.FolderConfig;
import io.peersync.daemon.control.ControlException;
import io.peersync.daemon.engine.FolderSync;
import io.peersync.daemon.engine.SyncEngine;
import io.peersync.daemon.fs.NioFolderFs;
import io.peersync.daemon.index.IndexStore;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.secret.SecretFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared folders of this node: added, opened at start, removed; folders that cannot open are kept as broken. */
final class Folders {
    private static final Logger log = LoggerFactory.getLogger(Folders.class);

    /** A configured folder that could not be opened (e.g. its disk is not mounted), with why. */
    record Broken(FolderConfig config, String error) {
    }

    private final SyncEngine engine;
    private final IndexStore index;
    private final ConfigStore config;
    private final NodeId self;
    private final ExecutorService io;
    private final ExecutorService hashers;
    private final Clock clock;
    private final Map<String, Broken> broken = new ConcurrentHashMap<>();
    private final Map<String, FolderConfig> paused = new ConcurrentHashMap<>();

    Folders(SyncEngine engine, IndexStore index, ConfigStore config, NodeId self, ExecutorService io,
            ExecutorService hashers, Clock clock) {
        this.engine = engine;
        this.index = index;
        this.config = config;
        this.self = self;
        this.io = io;
        this.hashers = hashers;
        this.clock = clock;
    }

    /** Opens a folder from the configuration; its marker must exist, so an unmounted disk is never taken as empty. */
    void open(FolderConfig f) {
        if (f.paused()) {
            paused.put(f.id(), f);
            log.info("Folder {} is paused; resume it with: peersync folder resume {}", f.id(), f.id());
            return;
        }
        try {
            FolderSecret secret = FolderSecret.parse(f.secret());
            FolderSync folder = new FolderSync(secret, NioFolderFs.open(Path.of(f.path()), clock), index, self, io,
                    hashers, clock);
            folder.apply(f.settings());
            engine.add(folder);
            broken.remove(f.id());
        } catch (IOException | RuntimeException e) {
            String error = "cannot open " + f.path() + ": " + e.getMessage();
            if (broken.put(f.id(), new Broken(f, error)) == null) {
                log.error("Folder {}: {}", f.id(), error);
            }
        }
    }

    void retryBroken() {
        broken.values().forEach(b -> open(b.config()));
    }

    Map<String, Broken> broken() {
        return Map.copyOf(broken);
    }

    /** Folders the operator paused, by id. */
    Map<String, FolderConfig> paused() {
        return Map.copyOf(paused);
    }

    /** Stops syncing a folder, and remembers that across restarts, until {@link #resume}. */
    FolderConfig pause(String idOrPath) throws ControlException {
        FolderConfig f = configured(idOrPath);
        if (paused.containsKey(f.id())) {
            throw new ControlException("The folder " + f.id() + " is paused already.");
        }
        FolderConfig next = f.withPaused(true);
        config.update(c -> c.withFolder(next));
        paused.put(f.id(), next);
        engine.remove(new FolderId(f.id()));
        broken.remove(f.id());
        log.info("Folder {}: paused", f.id());
        return next;
    }

    /** Syncs a paused folder again: it is opened, scanned and brought up to date with its peers. */
    FolderConfig resume(String idOrPath) throws ControlException {
        FolderConfig f = configured(idOrPath);
        if (!paused.containsKey(f.id())) {
            throw new ControlException("The folder " + f.id() + " is not paused.");
        }
        FolderConfig next = f.withPaused(false);
        config.update(c -> c.withFolder(next));
        paused.remove(f.id());
        log.info("Folder {}: resumed", f.id());
        open(next);
        return next;
    }

    private FolderConfig configured(String idOrPath) throws ControlException {
        return config.get().folders().stream()
                .filter(f -> f.id().equals(idOrPath) || samePath(f.path(), idOrPath))
                .findFirst()
                .orElseThrow(() -> new ControlException("No shared folder has the id or path " + idOrPath + "."));
    }

    FolderSync add(String path, String secretText, String preset) throws ControlException {
        Optional<String> presetText = Optional.empty();
        if (preset != null && !preset.isBlank()) {
            presetText = Presets.text(preset);
            if (presetText.isEmpty()) {
                throw new ControlException("Unknown preset " + preset + " (known: "
                        + String.join(", ", Presets.names()) + ").");
            }
        }
        FolderSecret secret;
        try {
            secret = FolderSecret.parse(secretText);
        } catch (SecretFormatException e) {
            throw new ControlException(sentence(e.getMessage().replaceFirst("^secret: ", "Invalid secret: ")));
        }
        Path dir = Path.of(path).toAbsolutePath().normalize();
        Optional<FolderSync> existing = engine.folder(secret.folderId());
        if (existing.isPresent()) {
            throw new ControlException("This folder is already shared at " + existing.get().root() + ".");
        }
        FolderConfig pausedOne = paused.get(secret.folderId().value());
        if (pausedOne != null) {
            throw new ControlException("This folder is already shared at " + pausedOne.path() + " (paused).");
        }
        for (FolderSync f : engine.folders()) {
            Path root = f.root();
            if (dir.startsWith(root) || root.startsWith(dir)) {
                throw new ControlException(dir + " overlaps the shared folder " + root + ".");
            }
        }
        FolderSync folder;
        try {
            NioFolderFs fs = NioFolderFs.init(dir, clock);
            if (presetText.isPresent()) {
                writePreset(fs.root(), presetText.get());
            }
            folder = new FolderSync(secret, fs, index, self, io, hashers, clock);
        } catch (IOException e) {
            throw new ControlException("Cannot use " + dir + ": " + e.getMessage() + ".");
        }
        config.update(c -> c.withFolder(new FolderConfig(secret.folderId().value(), folder.root().toString(),
                secret.text())));
        engine.add(folder);
        return folder;
    }

    /** Changes and persists a folder's options, and applies them to the running folder. */
    io.peersync.daemon.control.FolderSettingsView configure(String idOrPath,
            io.peersync.daemon.config.FolderSettings changes, boolean clearHook) throws ControlException {
        FolderSync running = find(idOrPath);
        FolderConfig f = config.get().folders().stream().filter(c -> c.id().equals(running.id().value()))
                .findFirst().orElseThrow(() -> new ControlException("The folder " + idOrPath + " is not configured."));
        io.peersync.daemon.config.FolderSettings next = f.settings().with(changes);
        if (clearHook) {
            next = next.withoutHook();
        }
        if (next.owner() != null || next.group() != null) {
            try {
                running.checkOwnership(next.owner(), next.group());
            } catch (IOException e) {
                throw new ControlException("Cannot give files to " + next.owner() + ":" + next.group() + ": "
                        + e.getMessage() + ".");
            }
        }
        io.peersync.daemon.config.FolderSettings saved = next;
        config.update(c -> c.withFolder(new FolderConfig(f.id(), f.path(), f.secret(), saved, f.paused())));
        running.apply(saved);
        return view(running, saved);
    }

    static io.peersync.daemon.control.FolderSettingsView view(FolderSync f,
                                                               io.peersync.daemon.config.FolderSettings s) {
        var policy = s.archivePolicy();
        return new io.peersync.daemon.control.FolderSettingsView(f.id().value(), f.root().toString(), s.hook(),
                policy.keepVersions(), (int) policy.maxAge().toDays(), s.owner(), s.group(),
                s.minFreeOrDefault().toString());
    }

    /** The running folder with this id or path. */
    FolderSync find(String idOrPath) throws ControlException {
        for (FolderSync f : engine.folders()) {
            if (f.id().value().equals(idOrPath) || samePath(f.root().toString(), idOrPath)) {
                return f;
            }
        }
        for (FolderConfig f : paused.values()) {
            if (f.id().equals(idOrPath) || samePath(f.path(), idOrPath)) {
                throw new ControlException("The folder " + f.id() + " is paused (resume it with: peersync folder resume "
                        + f.id() + ").");
            }
        }
        throw new ControlException("No running shared folder has the id or path " + idOrPath + ".");
    }

    /** Writes a preset's ignore rules before the first scan; an existing {@code .peersyncignore} is kept. */
    private static void writePreset(Path root, String text) throws IOException {
        Path file = root.resolve(IgnoreFile.NAME);
        if (java.nio.file.Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            log.info("{} exists already; the preset does not replace it", file);
            return;
        }
        AtomicFiles.write(file, text, "rw-r--r--");
    }

    FolderConfig remove(String idOrPath) throws ControlException {
        FolderConfig f = configured(idOrPath);
        FolderId id = new FolderId(f.id());
        engine.remove(id);
        broken.remove(f.id());
        paused.remove(f.id());
        config.update(c -> c.withoutFolder(f.id()));
        index.dropFolder(id);
        return f;
    }

    private static boolean samePath(String configured, String given) {
        try {
            return Path.of(configured).equals(Path.of(given).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String sentence(String message) {
        String s = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }
}
