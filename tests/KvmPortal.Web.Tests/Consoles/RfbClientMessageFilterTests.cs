using System.Buffers;
using System.Buffers.Binary;
using KvmPortal.Web.Consoles;

namespace KvmPortal.Web.Tests.Consoles;

public sealed class RfbClientMessageFilterTests
{
    private static byte[] SetPixelFormat() => [0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];
    private static byte[] SetEncodings(params int[] encodings)
    {
        var m = new byte[4 + 4 * encodings.Length];
        m[0] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)encodings.Length);
        for (var i = 0; i < encodings.Length; i++) BinaryPrimitives.WriteInt32BigEndian(m.AsSpan(4 + 4 * i), encodings[i]);
        return m;
    }
    private static byte[] UpdateRequest() => [3, 1, 0, 0, 0, 0, 3, 32, 2, 88];
    private static byte[] Key(uint keysym) { var m = new byte[8]; m[0] = 4; m[1] = 1; BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), keysym); return m; }
    private static byte[] Pointer() => [5, 1, 0, 10, 0, 20];
    private static byte[] CutText(string text)
    {
        var bytes = System.Text.Encoding.Latin1.GetBytes(text);
        var m = new byte[8 + bytes.Length];
        m[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(m.AsSpan(4), bytes.Length);
        bytes.CopyTo(m, 8);
        return m;
    }
    private static byte[] QemuKey() => [255, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 30];
    private static byte[] QemuAudioEnable() => [255, 1, 0, 0];
    private static byte[] Fence() => [248, 0, 0, 0, 0, 0, 0, 2, 3, 7, 7, 7];

    private static (RfbFilterResult Result, byte[] Forwarded) Run(RfbClientMessageFilter filter, byte[] stream, int chunk)
    {
        var forward = new ArrayBufferWriter<byte>();
        for (var i = 0; i < stream.Length; i += chunk)
        {
            var result = filter.Process(stream.AsSpan(i, Math.Min(chunk, stream.Length - i)), forward);
            if (result != RfbFilterResult.Ok) return (result, forward.WrittenSpan.ToArray());
        }
        return (RfbFilterResult.Ok, forward.WrittenSpan.ToArray());
    }

    private static byte[] Concat(params byte[][] messages) => messages.SelectMany(m => m).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public void A_full_session_forwards_every_byte_however_it_is_split(int chunk)
    {
        var stream = Concat(SetPixelFormat(), SetEncodings(0, 1, -223, -258), UpdateRequest(), Key(0x61), Pointer(),
            CutText("hello"), QemuKey(), QemuAudioEnable(), Fence(), UpdateRequest());

        var (result, forwarded) = Run(new RfbClientMessageFilter(viewOnly: false), stream, chunk);

        Assert.Equal(RfbFilterResult.Ok, result);
        Assert.Equal(stream, forwarded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(4096)]
    public void A_view_only_session_drops_input_and_keeps_the_rest(int chunk)
    {
        var filter = new RfbClientMessageFilter(viewOnly: true);
        var stream = Concat(SetPixelFormat(), Key(0x61), SetEncodings(0, -223), Pointer(), UpdateRequest(),
            CutText("rm -rf /"), QemuKey(), QemuAudioEnable(), Fence(), Key(0xff0d));

        var (result, forwarded) = Run(filter, stream, chunk);

        Assert.Equal(RfbFilterResult.Ok, result);
        Assert.Equal(Concat(SetPixelFormat(), SetEncodings(0, -223), UpdateRequest(), QemuAudioEnable(), Fence()), forwarded);
        Assert.Equal(5, filter.DroppedMessages);
    }

    [Fact]
    public void An_incomplete_message_waits_for_the_rest()
    {
        var filter = new RfbClientMessageFilter(viewOnly: false);
        var forward = new ArrayBufferWriter<byte>();
        var encodings = SetEncodings(0, 1, 5);

        Assert.Equal(RfbFilterResult.Ok, filter.Process(encodings.AsSpan(0, 3), forward));
        Assert.Equal(0, forward.WrittenCount);
        Assert.Equal(RfbFilterResult.Ok, filter.Process(encodings.AsSpan(3), forward));
        Assert.Equal(encodings, forward.WrittenSpan.ToArray());
    }

    public static TheoryData<string, byte[]> MalformedStreams => new()
    {
        { "unknown message type", [7, 0, 0, 0] },
        { "unknown type after a good message", Concat(UpdateRequest(), [42]) },
        { "clipboard larger than a megabyte", [6, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff] },
        { "extended clipboard larger than a megabyte", [6, 0, 0, 0, 0x80, 0, 0, 0] },
        { "fence payload over 64 bytes", [248, 0, 0, 0, 0, 0, 0, 0, 65] },
        { "unknown QEMU message", [255, 9, 0, 0] },
        { "unknown QEMU audio operation", [255, 1, 0, 7] },
    };

    [Theory]
    [MemberData(nameof(MalformedStreams))]
    public void Malformed_traffic_is_reported(string why, byte[] stream)
    {
        foreach (var chunk in new[] { 1, stream.Length })
        {
            var (result, _) = Run(new RfbClientMessageFilter(viewOnly: false), stream, chunk);
            Assert.True(result == RfbFilterResult.Malformed, $"{why} (chunks of {chunk})");
        }
    }

    [Fact]
    public void Nothing_after_a_malformed_message_is_forwarded()
    {
        var (result, forwarded) = Run(new RfbClientMessageFilter(viewOnly: false), Concat(UpdateRequest(), [99], UpdateRequest()), 4096);

        Assert.Equal(RfbFilterResult.Malformed, result);
        Assert.Equal(UpdateRequest(), forwarded);
    }
}
