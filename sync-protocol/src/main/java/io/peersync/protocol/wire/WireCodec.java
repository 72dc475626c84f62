package io.peersync.protocol.wire;

import io.netty.buffer.ByteBuf;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.FolderPath;
import io.peersync.protocol.Hash;
import io.peersync.protocol.wire.Message.BlockRequest;
import io.peersync.protocol.wire.Message.BlockResponse;
import io.peersync.protocol.wire.Message.Close;
import io.peersync.protocol.wire.Message.FolderPeers;
import io.peersync.protocol.wire.Message.Hello;
import io.peersync.protocol.wire.Message.IndexUpdate;
import io.peersync.protocol.wire.Message.Membership;
import io.peersync.protocol.wire.Message.MembershipRejected;
import io.peersync.protocol.wire.Message.Ping;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of {@link Message}s (frame bodies; the 4-byte length prefix is added by the pipeline).
 * Decoding treats every byte as hostile: each length is checked against {@link Limits} before use.
 */
public final class WireCodec {
    static final int HELLO = 1;
    static final int MEMBERSHIP = 2;
    static final int MEMBERSHIP_REJECTED = 3;
    static final int INDEX_UPDATE = 4;
    static final int BLOCK_REQUEST = 5;
    static final int BLOCK_RESPONSE = 6;
    static final int PING = 7;
    static final int CLOSE = 8;
    static final int FOLDER_PEERS = 9;

    private WireCodec() {
    }

    public static void encode(Message message, ByteBuf out) {
        if (message instanceof Hello m) {
            checkRange("protocol version", m.protocolVersion(), 0, 0xFFFF);
            checkRange("listen port", m.listenPort(), 0, 0xFFFF);
            checkRange("nonce length", m.nonce().length, Limits.NONCE_BYTES, Limits.NONCE_BYTES);
            checkRange("known peers", m.knownPeers().size(), 0, Limits.MAX_KNOWN_PEERS);
            out.writeByte(HELLO).writeShort(m.protocolVersion());
            writeString(out, m.client(), Limits.MAX_SHORT_STRING);
            out.writeShort(m.listenPort());
            out.writeBytes(m.nonce());
            out.writeShort(m.knownPeers().size());
            m.knownPeers().forEach(p -> writeString(out, p, Limits.MAX_SHORT_STRING));
        } else if (message instanceof Membership m) {
            checkRange("membership level", m.level(), 0, 0xFF);
            out.writeByte(MEMBERSHIP).writeBytes(m.folder().bytes()).writeByte(m.level());
            writeBytes(out, m.authTag(), Limits.MAX_PROOF_BYTES);
            writeBytes(out, m.levelProof(), Limits.MAX_PROOF_BYTES);
        } else if (message instanceof MembershipRejected m) {
            out.writeByte(MEMBERSHIP_REJECTED).writeBytes(m.folder().bytes());
            writeString(out, m.reason(), Limits.MAX_REASON);
        } else if (message instanceof IndexUpdate m) {
            checkRange("records", m.records().size(), 0, Limits.MAX_RECORDS_PER_UPDATE);
            out.writeByte(INDEX_UPDATE).writeBytes(m.folder().bytes()).writeBoolean(m.complete());
            out.writeInt(m.records().size());
            m.records().forEach(r -> writeRecord(out, r));
        } else if (message instanceof BlockRequest m) {
            if (m.offset() < 0) {
                throw new IllegalArgumentException("block request offset: " + m.offset() + " (expected: >= 0)");
            }
            checkRange("block request size", m.size(), 0, Limits.MAX_BLOCK_SIZE);
            out.writeByte(BLOCK_REQUEST).writeInt(m.id()).writeBytes(m.folder().bytes());
            writeString(out, m.path(), FolderPath.MAX_BYTES);
            out.writeLong(m.offset()).writeInt(m.size());
            writeHash(out, m.hash());
        } else if (message instanceof BlockResponse m) {
            if (m.status() != BlockResponse.Status.OK && m.data().length != 0) {
                throw new IllegalArgumentException("block response " + m.status() + " with " + m.data().length
                        + " bytes of data (expected: none unless OK)");
            }
            out.writeByte(BLOCK_RESPONSE).writeInt(m.id()).writeByte(m.status().ordinal());
            writeBytes(out, m.data(), Limits.MAX_BLOCK_SIZE);
        } else if (message instanceof FolderPeers m) {
            checkRange("folder peers", m.addresses().size(), 0, Limits.MAX_KNOWN_PEERS);
            out.writeByte(FOLDER_PEERS).writeBytes(m.folder().bytes()).writeShort(m.addresses().size());
            m.addresses().forEach(p -> writeString(out, p, Limits.MAX_SHORT_STRING));
        } else if (message instanceof Ping) {
            out.writeByte(PING);
        } else if (message instanceof Close m) {
            out.writeByte(CLOSE);
            writeString(out, m.reason(), Limits.MAX_REASON);
        } else {
            throw new IllegalArgumentException("unknown message: " + message.getClass().getName());
        }
    }

    /** Decodes one whole frame body; the frame must be consumed exactly. */
    public static Message decode(ByteBuf in) {
        try {
            Message m = decodeBody(in);
            if (in.isReadable()) {
                throw new ProtocolException("frame has " + in.readableBytes() + " trailing bytes (expected: 0)");
            }
            return m;
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException("frame is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("invalid field: " + e.getMessage(), e);
        }
    }

    private static Message decodeBody(ByteBuf in) {
        int type = in.readUnsignedByte();
        switch (type) {
            case HELLO: {
                int version = in.readUnsignedShort();
                String client = readString(in, Limits.MAX_SHORT_STRING);
                int port = in.readUnsignedShort();
                byte[] nonce = readFixed(in, Limits.NONCE_BYTES);
                int peers = checkCount(in.readUnsignedShort(), Limits.MAX_KNOWN_PEERS, "known peers");
                List<String> known = new ArrayList<>(peers);
                for (int i = 0; i < peers; i++) {
                    known.add(readString(in, Limits.MAX_SHORT_STRING));
                }
                return new Hello(version, client, port, nonce, known);
            }
            case MEMBERSHIP:
                return new Membership(readFolder(in), in.readUnsignedByte(),
                        readBytes(in, Limits.MAX_PROOF_BYTES), readBytes(in, Limits.MAX_PROOF_BYTES));
            case MEMBERSHIP_REJECTED:
                return new MembershipRejected(readFolder(in), readString(in, Limits.MAX_REASON));
            case INDEX_UPDATE: {
                FolderId folder = readFolder(in);
                boolean complete = in.readBoolean();
                int count = checkCount(in.readInt(), Limits.MAX_RECORDS_PER_UPDATE, "records");
                List<FileRecord> records = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    records.add(readRecord(in));
                }
                return new IndexUpdate(folder, complete, records);
            }
            case BLOCK_REQUEST: {
                int id = in.readInt();
                FolderId folder = readFolder(in);
                String path = FolderPath.validate(
                        readString(in, FolderPath.MAX_BYTES));
                long offset = in.readLong();
                int size = in.readInt();
                if (offset < 0 || size < 0 || size > Limits.MAX_BLOCK_SIZE) {
                    throw new ProtocolException("block request range: offset " + offset + ", size " + size
                            + " (expected: offset >= 0, 0 <= size <= " + Limits.MAX_BLOCK_SIZE + ")");
                }
                return new BlockRequest(id, folder, path, offset, size, readHash(in));
            }
            case BLOCK_RESPONSE: {
                int id = in.readInt();
                int status = in.readUnsignedByte();
                BlockResponse.Status[] all = BlockResponse.Status.values();
                if (status >= all.length) {
                    throw new ProtocolException("block response status: " + status + " (expected: < " + all.length + ")");
                }
                byte[] data = readBytes(in, Limits.MAX_BLOCK_SIZE);
                if (all[status] != BlockResponse.Status.OK && data.length != 0) {
                    throw new ProtocolException("block response " + all[status] + " with " + data.length
                            + " bytes of data (expected: none unless OK)");
                }
                return new BlockResponse(id, all[status], data);
            }
            case FOLDER_PEERS: {
                FolderId folder = readFolder(in);
                int count = checkCount(in.readUnsignedShort(), Limits.MAX_KNOWN_PEERS, "folder peers");
                List<String> addresses = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    addresses.add(readString(in, Limits.MAX_SHORT_STRING));
                }
                return new FolderPeers(folder, addresses);
            }
            case PING:
                return new Ping();
            case CLOSE:
                return new Close(readString(in, Limits.MAX_REASON));
            default:
                throw new ProtocolException("unknown message type: " + type);
        }
    }

    // ---- records -----------------------------------------------------------------------------------------------

    /** Writes one file record as an IndexUpdate carries it: an i32 length, then {@link RecordCodec}'s bytes. */
    public static void writeRecord(ByteBuf out, FileRecord r) {
        writeBytes(out, RecordCodec.encode(r), Limits.MAX_RECORD_BYTES);
    }

    /** Reads and validates one record that {@link #writeRecord} wrote; the length must name exactly one record. */
    public static FileRecord readRecord(ByteBuf in) {
        return RecordCodec.decode(readBytes(in, Limits.MAX_RECORD_BYTES));
    }

    // ---- primitives --------------------------------------------------------------------------------------------

    private static void checkRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: " + min + " to " + max + ")");
        }
    }

    private static int checkCount(int count, int max, String what) {
        if (count < 0 || count > max) {
            throw new ProtocolException(what + ": " + count + " (expected: 0 to " + max + ")");
        }
        return count;
    }

    private static FolderId readFolder(ByteBuf in) {
        return FolderId.ofBytes(readFixed(in, FolderId.BYTES));
    }

    private static void writeHash(ByteBuf out, Hash hash) {
        out.writeBytes(hash.bytes());
    }

    private static Hash readHash(ByteBuf in) {
        return Hash.of(readFixed(in, Hash.LENGTH));
    }

    private static byte[] readFixed(ByteBuf in, int length) {
        byte[] b = new byte[length];
        in.readBytes(b);
        return b;
    }

    private static void writeBytes(ByteBuf out, byte[] data, int max) {
        if (data.length > max) {
            throw new IllegalArgumentException("field of " + data.length + " bytes (expected: <= " + max + ")");
        }
        out.writeInt(data.length).writeBytes(data);
    }

    private static byte[] readBytes(ByteBuf in, int max) {
        int length = checkCount(in.readInt(), max, "field length");
        if (length > in.readableBytes()) {
            throw new ProtocolException("field of " + length + " bytes exceeds the frame");
        }
        return readFixed(in, length);
    }

    private static void writeString(ByteBuf out, String s, int maxBytes) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > maxBytes) {
            throw new IllegalArgumentException("string of " + utf8.length + " bytes (expected: <= " + maxBytes + ")");
        }
        out.writeShort(utf8.length).writeBytes(utf8);
    }

    private static String readString(ByteBuf in, int maxBytes) {
        int length = checkCount(in.readUnsignedShort(), maxBytes, "string length");
        byte[] utf8 = readFixed(in, length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("string is not valid UTF-8", e);
        }
    }
}
