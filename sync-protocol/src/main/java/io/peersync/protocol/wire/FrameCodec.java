package io.peersync.protocol.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** Installs the peersync framing (4-byte big-endian length, then a {@link WireCodec} body) in a pipeline. */
public final class FrameCodec {
    private FrameCodec() {
    }

    /** Adds frame decoder, message decoder, length prepender and message encoder after the TLS handler. */
    public static void install(ChannelPipeline pipeline) {
        // Netty's limit counts the 4-byte prefix too; MAX_FRAME limits the body.
        pipeline.addLast("frameDecoder", new LengthFieldBasedFrameDecoder(Limits.MAX_FRAME + 4, 0, 4, 0, 4));
        pipeline.addLast("messageDecoder", new MessageDecoder());
        pipeline.addLast("framePrepender", new LengthFieldPrepender(4));
        pipeline.addLast("messageEncoder", new MessageEncoder());
    }

    /** Frame body to {@link Message}; a bad frame raises {@link ProtocolException}. */
    public static final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            out.add(WireCodec.decode(frame));
        }
    }

    /** {@link Message} to frame body. */
    public static final class MessageEncoder extends MessageToByteEncoder<Message> {
        public MessageEncoder() {
            super(Message.class);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
            int start = out.writerIndex();
            WireCodec.encode(msg, out);
            int length = out.writerIndex() - start;
            // The peer's frame decoder would drop the connection; fail here, where the caller can split the batch.
            if (length > Limits.MAX_FRAME) {
                throw new IllegalArgumentException(msg.getClass().getSimpleName() + " frame of " + length
                        + " bytes (expected: <= " + Limits.MAX_FRAME + ")");
            }
        }
    }
}
