package io.peersync.daemon.engine;

import static io.peersync.daemon.engine.SealedRecords.ENC;
import static io.peersync.daemon.engine.SealedRecords.RO;
import static io.peersync.daemon.engine.SealedRecords.RW;
import static io.peersync.daemon.engine.SealedRecords.dir;
import static io.peersync.daemon.engine.SealedRecords.file;
import static io.peersync.daemon.engine.SealedRecords.symlink;
import static io.peersync.daemon.engine.SealedRecords.tombstone;
import static io.peersync.daemon.engine.SealedRecords.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.fs.NioFolderFs;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.secret.ContentCipher;
import io.peersync.protocol.secret.RecordSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealerTest {
    private static final int BLOCK = 128 * 1024;

    @TempDir
    Path root;
    private NioFolderFs fs;
    private Sealer sealer;

    @BeforeEach
    void setUp() throws IOException {
        fs = NioFolderFs.init(root);
        sealer = new Sealer(RW, fs);
    }

    private byte[] write(String path, byte[] content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return content;
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void sealsAFileOnDiskSoThatEveryLevelVerifiesIt() throws IOException {
        byte[] content = write("docs/big.bin", random(2 * BLOCK + 1000));
        FileRecord r = file("docs/big.bin", content, BLOCK);

        FileRecord sealed = sealer.seal(r);

        SealedInfo s = sealed.sealed();
        assertEquals(r.withSealed(s), sealed, "only the seal is added");
        assertTrue(RecordSigner.verifyPlain(RO, sealed, s));
        assertTrue(RecordSigner.verifyPlain(RW, sealed, s));
        assertTrue(EncryptedView.verify(ENC, ENC.folderId(), EncryptedView.of(sealed)));
        assertEquals(3 * 28L + content.length, s.encryptedSize());
        assertEquals(SealedRecords.sealed(r, content).sealed(), s, "sealing is deterministic");
    }

    @Test
    void encryptedBlockHashesAreOfTheCiphertextAReaderCanDecrypt() throws Exception {
        byte[] content = write("a.txt", utf8("ten bytes!"));
        FileRecord r = file("a.txt", content, 4);

        SealedInfo s = sealer.seal(r).sealed();

        ContentCipher cipher = RO.contentCipher().orElseThrow();
        assertEquals(3, s.encryptedBlockHashes().size());
        for (int i = 0; i < r.blocks().size(); i++) {
            BlockRef b = r.blocks().get(i);
            byte[] plain = Arrays.copyOfRange(content, (int) b.offset(), (int) b.offset() + b.size());
            byte[] encrypted = cipher.encryptBlock(plain, b.hash());
            assertEquals(Hash.sha256(encrypted), s.encryptedBlockHashes().get(i), "block " + i);
            assertArrayEquals(plain, cipher.decryptBlock(encrypted));
        }
    }

    @Test
    void splitsALargeFileAmongThreadsWithTheSameSeal() throws IOException {
        int size = (int) Sealer.PARALLEL_FROM_BYTES + 3 * BLOCK + 5;
        byte[] content = write("big.bin", random(size));
        FileRecord r = file("big.bin", content, BLOCK);
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = new java.util.concurrent.ThreadPoolExecutor(3, 3, 0, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>()) {
            @Override
            public void execute(Runnable command) {
                tasks.incrementAndGet();
                super.execute(command);
            }
        };
        try {
            FileRecord parallel = new Sealer(RW, fs, pool, 3).seal(r);

            assertEquals(3, tasks.get(), "the file was split into 3 tasks");
            assertEquals(sealer.seal(r), parallel, "the same seal as on one thread");
            assertEquals(SealedRecords.sealed(r, content).sealed(), parallel.sealed());
            assertEquals(r.blocks().size(), parallel.sealed().encryptedBlockHashes().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLargeFileChangedInAnyPartIsRefused() throws IOException {
        int size = (int) Sealer.PARALLEL_FROM_BYTES + BLOCK;
        byte[] content = write("big.bin", random(size));
        FileRecord r = file("big.bin", content, BLOCK);
        content[size - 10] ^= 1; // in the last block, which the second task seals
        write("big.bin", content);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            IOException e = assertThrows(IOException.class, () -> new Sealer(RW, fs, pool, 2).seal(r));
            assertTrue(e.getMessage().contains("big.bin changed while it was being sealed"), e.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sealsRecordsWithoutContentWithoutReadingTheDisk() throws IOException {
        // None of these paths exists on disk: nothing has to be read.
        FileRecord gone = tombstone(file("gone.txt", utf8("was here"), 4));
        List<FileRecord> records = List.of(dir("docs"), symlink("docs/latest", "big.bin"), gone,
                file("empty", new byte[0], BLOCK));
        for (FileRecord r : records) {
            FileRecord sealed = sealer.seal(r);
            assertEquals(0, sealed.sealed().encryptedSize(), r.path());
            assertEquals(List.of(), sealed.sealed().encryptedBlockHashes());
            assertTrue(RecordSigner.verifyPlain(RO, sealed, sealed.sealed()), r.path());
            assertTrue(EncryptedView.verify(ENC, ENC.folderId(), EncryptedView.of(sealed)), r.path());
        }
    }

    @Test
    void refusesAFileThatChangedSinceItWasScanned() throws IOException {
        FileRecord r = file("a.txt", write("a.txt", utf8("ten bytes!")), 4);
        write("a.txt", utf8("ten bytes?"));

        IOException e = assertThrows(IOException.class, () -> sealer.seal(r));
        assertTrue(e.getMessage().contains("a.txt changed while it was being sealed"), e.getMessage());
    }

    @Test
    void refusesAFileThatShrankOrVanished() throws IOException {
        FileRecord r = file("a.txt", write("a.txt", utf8("ten bytes!")), 4);
        write("a.txt", utf8("ten"));
        IOException shorter = assertThrows(IOException.class, () -> sealer.seal(r));
        assertTrue(shorter.getMessage().contains("shorter"), shorter.getMessage());

        Files.delete(root.resolve("a.txt"));
        assertThrows(IOException.class, () -> sealer.seal(r));
    }

    @Test
    void onlyAReadWriteSecretSeals() throws IOException {
        FileRecord r = file("a.txt", write("a.txt", utf8("ten bytes!")), 4);
        assertThrows(IllegalStateException.class, () -> new Sealer(RO, fs).seal(r));
    }
}
