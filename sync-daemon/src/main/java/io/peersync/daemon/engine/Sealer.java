package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FolderFs;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.secret.ContentCipher;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.secret.RecordSigner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs the versions a read-write node makes: encrypts each block as encrypted nodes will store it, so that the
 * signature also covers the ciphertext hashes they check.
 */
final class Sealer {
    private final FolderSecret secret;
    private final ContentCipher cipher;
    private final FolderFs fs;

    Sealer(FolderSecret secret, FolderFs fs) {
        this.secret = secret;
        this.cipher = secret.contentCipher().orElseThrow();
        this.fs = fs;
    }

    /** The record with its seal; fails if the file on disk no longer has the record's blocks. */
    FileRecord seal(FileRecord r) throws IOException {
        List<Hash> encrypted = new ArrayList<>(r.blocks().size());
        if (r.type() == FileType.FILE && !r.deleted() && !r.blocks().isEmpty()) {
            try (FileChannel channel = fs.openReadChannel(r.path())) {
                for (BlockRef b : r.blocks()) {
                    byte[] plain = read(channel, b);
                    if (!Hash.sha256(plain).equals(b.hash())) {
                        throw new IOException(r.path() + " changed while it was being sealed");
                    }
                    encrypted.add(Hash.sha256(cipher.encryptBlock(plain, b.hash())));
                }
            }
        }
        SealedInfo seal = RecordSigner.seal(secret, r, encrypted);
        return r.withSealed(seal);
    }

    static byte[] read(FileChannel channel, BlockRef b) throws IOException {
        byte[] data = new byte[b.size()];
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, b.offset() + buffer.position()) < 0) {
                throw new IOException("file is shorter than its record");
            }
        }
        return data;
    }
}
