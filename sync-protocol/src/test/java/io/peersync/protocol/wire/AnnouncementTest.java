package io.peersync.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.peersync.protocol.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AnnouncementTest {
    private static final NodeId NODE = NodeId.ofPublicKey("key".getBytes(StandardCharsets.UTF_8));

    private static List<byte[]> tags(int n) {
        List<byte[]> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] tag = new byte[Announcement.TAG_BYTES];
            tag[0] = (byte) i;
            tags.add(tag);
        }
        return tags;
    }

    private static Announcement sample(int tags) {
        byte[] nonce = new byte[Announcement.NONCE_BYTES];
        nonce[3] = 9;
        return new Announcement(NODE, 65535, nonce, tags(tags));
    }

    private static ByteBuf encoded(Announcement a) {
        ByteBuf out = Unpooled.buffer();
        a.encode(out);
        return out;
    }

    @Test
    void roundTripsFromNoTagToTheMost() {
        for (int n : new int[] {0, 1, Announcement.MAX_TAGS}) {
            Announcement a = sample(n);
            ByteBuf bytes = encoded(a);
            assertEquals(Announcement.MAX_BYTES - (Announcement.MAX_TAGS - n) * Announcement.TAG_BYTES,
                    bytes.readableBytes());
            assertEquals(a, Announcement.decode(bytes));
        }
    }

    private static void assertRejected(String expected, Consumer<ByteBuf> damage) {
        ByteBuf bytes = encoded(sample(2));
        damage.accept(bytes);
        ProtocolException e = assertThrows(ProtocolException.class, () -> Announcement.decode(bytes));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void rejectsAnythingButOneWellFormedAnnouncement() {
        assertRejected("not a peersync announcement", b -> b.setByte(0, 'X'));
        assertRejected("version 2", b -> b.setByte(4, 2));
        assertRejected("port", b -> b.setShort(37, 0));
        assertRejected("3 tags", b -> b.setByte(55, 3));
        assertRejected("2 tags", b -> b.writeByte(0)); // trailing byte
        assertRejected("bytes", b -> b.writerIndex(40)); // truncated
        assertRejected("bytes", b -> b.writeZero(Announcement.MAX_BYTES)); // too long
    }

    @Test
    void refusesToBuildWhatCouldNotBeDecoded() {
        assertThrows(IllegalArgumentException.class, () -> new Announcement(NODE, 0, new byte[16], List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Announcement(NODE, 1, new byte[15], List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Announcement(NODE, 1, new byte[16], tags(Announcement.MAX_TAGS + 1)));
        assertThrows(IllegalArgumentException.class, () -> new Announcement(NODE, 1, new byte[16], List.of(new byte[15])));
    }
}
