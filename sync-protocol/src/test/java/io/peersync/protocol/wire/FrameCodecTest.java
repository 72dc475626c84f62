package io.peersync.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.wire.Message.IndexUpdate;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {
    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releasedEveryBuffer() {
        for (EmbeddedChannel ch : channels) {
            assertFalse(ch.finishAndReleaseAll(), "nothing left unread in the channel");
        }
        alloc.assertAllReleased();
    }

    @ParameterizedTest(name = "fragments of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void decodesMessagesFedInFragments(int fragment) {
        List<Message> sent = Samples.everyMessage();
        byte[] stream = writeAll(sent);

        EmbeddedChannel receiver = channel();
        for (int off = 0; off < stream.length; off += fragment) {
            int len = Math.min(fragment, stream.length - off);
            receiver.writeInbound(alloc.buffer(len).writeBytes(stream, off, len));
        }
        assertEquals(sent, readAllInbound(receiver));
    }

    @Test
    void decodesMessagesFedInMixedFragments() {
        List<Message> sent = Samples.everyMessage();
        byte[] stream = writeAll(sent);
        EmbeddedChannel receiver = channel();
        int off = 0;
        for (int i = 0; off < stream.length; i++) {
            int len = Math.min(1 + (i * 5) % 7, stream.length - off);
            receiver.writeInbound(alloc.buffer(len).writeBytes(stream, off, len));
            off += len;
        }
        assertEquals(sent, readAllInbound(receiver));
    }

    @Test
    void prefixesEachBodyWithItsBigEndianLength() {
        byte[] stream = writeAll(List.of(new Message.Ping(), new Message.Close("ab")));
        assertEquals(List.of(0, 0, 0, 1, 7, 0, 0, 0, 5, 8, 0, 2, (int) 'a', (int) 'b'), toList(stream));
    }

    @ParameterizedTest
    @ValueSource(longs = {Limits.MAX_FRAME + 1L, Integer.MAX_VALUE, 0x8000_0000L, 0xFFFF_FFFFL})
    void rejectsLengthPrefixOverLimitWithoutBufferingTheFrame(long length) {
        EmbeddedChannel receiver = channel();
        ByteBuf header = alloc.buffer(4).writeInt((int) length);
        DecoderException e = assertThrows(DecoderException.class, () -> receiver.writeInbound(header));
        assertInstanceOf(TooLongFrameException.class, e);
        assertTrue(alloc.largestCapacity() < 1024, "no buffer was sized for the announced frame");
        assertNull(receiver.readInbound());
    }

    @Test
    void acceptsFrameOfExactlyTheLimit() {
        byte[] body = new byte[Limits.MAX_FRAME];
        EmbeddedChannel receiver = channel();
        // A frame of the maximum length gets past framing, then fails decoding (all zero bytes): not TooLong.
        DecoderException e = assertThrows(DecoderException.class,
                () -> receiver.writeInbound(alloc.buffer(4 + body.length).writeInt(body.length).writeBytes(body)));
        assertInstanceOf(ProtocolException.class, e.getCause());
    }

    @Test
    void reportsMalformedBodyAsProtocolException() {
        EmbeddedChannel receiver = channel();
        DecoderException e = assertThrows(DecoderException.class,
                () -> receiver.writeInbound(alloc.buffer().writeInt(1).writeByte(99)));
        assertInstanceOf(ProtocolException.class, e.getCause());
    }

    @Test
    void reportsEmptyFrameAsProtocolException() {
        EmbeddedChannel receiver = channel();
        DecoderException e = assertThrows(DecoderException.class,
                () -> receiver.writeInbound(alloc.buffer().writeInt(0)));
        assertInstanceOf(ProtocolException.class, e.getCause());
    }

    @Test
    void refusesToSendFrameOverLimit() {
        // Four records of the most blocks a file may have: each fits, together they exceed MAX_FRAME.
        Hash h = Hash.sha256(new byte[0]);
        List<BlockRef> blocks = new ArrayList<>(Limits.MAX_BLOCKS_PER_FILE);
        for (int i = 0; i < Limits.MAX_BLOCKS_PER_FILE; i++) {
            blocks.add(new BlockRef(i, 1, h));
        }
        List<FileRecord> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            records.add(new FileRecord("f" + i, FileType.FILE, blocks.size(), 0, 0644,
                    VersionVector.EMPTY.increment(1), false, i, 1, 1, blocks, h, ""));
        }
        EmbeddedChannel sender = channel();
        EncoderException e = assertThrows(EncoderException.class,
                () -> sender.writeOutbound(new IndexUpdate(Samples.FOLDER, true, records)));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertNull(sender.readOutbound());
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        FrameCodec.install(ch.pipeline());
        channels.add(ch);
        return ch;
    }

    private byte[] writeAll(List<Message> messages) {
        EmbeddedChannel sender = channel();
        for (Message m : messages) {
            assertTrue(sender.writeOutbound(m));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = sender.readOutbound()) != null; ) {
            try {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                out.writeBytes(b);
            } finally {
                buf.release();
            }
        }
        return out.toByteArray();
    }

    private static List<Message> readAllInbound(EmbeddedChannel ch) {
        List<Message> got = new ArrayList<>();
        for (Object m; (m = ch.readInbound()) != null; ) {
            got.add((Message) m);
        }
        return got;
    }

    private static List<Integer> toList(byte[] bytes) {
        List<Integer> l = new ArrayList<>();
        for (byte b : bytes) {
            l.add(b & 0xFF);
        }
        return l;
    }
}
