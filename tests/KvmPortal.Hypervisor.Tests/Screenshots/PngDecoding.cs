using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace KvmPortal.Hypervisor.Tests.Screenshots;

/// <summary>
/// A PNG read back independently of the encoder: every chunk's CRC checked (zlib's crc32 of type and data), IDAT
/// inflated with zlib and the scanline filters undone, so a test sees the pixels a viewer would.
/// </summary>
internal sealed record DecodedPng(int Width, int Height, byte BitDepth, byte ColourType, byte[] Rgb, IReadOnlyList<string> Chunks)
{
    public static DecodedPng Decode(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var chunks = new List<string>();
        var idat = new MemoryStream();
        byte[] header = [];
        var position = 8;
        while (position < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var type = Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            Assert.Equal(ReferenceCrc(png.AsSpan(position + 4, 4 + length)), crc);
            chunks.Add(type);
            if (type == "IHDR") header = data.ToArray();
            if (type == "IDAT") idat.Write(data);
            position += 12 + length;
        }
        Assert.Equal(png.Length, position);
        Assert.Equal(13, header.Length);
        var width = BinaryPrimitives.ReadInt32BigEndian(header);
        var height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        return new DecodedPng(width, height, header[8], header[9], Unfilter(inflated.ToArray(), width, height), chunks);
    }

    /// <summary>Filters None (0), Sub (1) and Up (2) for 3-byte pixels; any other is a failure here.</summary>
    private static byte[] Unfilter(byte[] lines, int width, int height)
    {
        var stride = width * 3;
        Assert.Equal(height * (1 + stride), lines.Length);
        var rgb = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = lines[y * (1 + stride)];
            for (var x = 0; x < stride; x++)
            {
                var raw = lines[y * (1 + stride) + 1 + x];
                var left = x >= 3 ? rgb[y * stride + x - 3] : 0;
                var up = y > 0 ? rgb[(y - 1) * stride + x] : 0;
                rgb[y * stride + x] = filter switch
                {
                    0 => raw,
                    1 => (byte)(raw + left),
                    2 => (byte)(raw + up),
                    _ => throw new Xunit.Sdk.XunitException($"Unexpected filter {filter} on line {y}."),
                };
            }
        }
        return rgb;
    }

    /// <summary>Bit by bit, straight from the PNG specification's definition (no table), to check the encoder's table.</summary>
    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
