using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace KvmPortal.Hypervisor.Consoles.Screenshots;

/// <summary>
/// Writes an <see cref="RgbImage"/> as a PNG (8-bit truecolour, no interlace): the signature, IHDR, one IDAT of the
/// zlib-compressed scanlines and IEND. Each scanline gets the filter that suits screens best of None and Sub (text on
/// a plain background compresses well either way; Sub helps gradients).
/// </summary>
public static class PngEncoder
{
    public const string MimeType = "image/png";

    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(RgbImage image, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;  // bits per sample
        header[9] = 2;  // colour type: truecolour (RGB)
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method 0
        header[12] = 0; // no interlace
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", CompressScanlines(image, level));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] CompressScanlines(RgbImage image, CompressionLevel level)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            var line = new byte[1 + image.Stride];
            for (var y = 0; y < image.Height; y++)
            {
                var row = image.Pixels.AsSpan(y * image.Stride, image.Stride);
                Filter(row, line);
                zlib.Write(line);
            }
        }
        return compressed.ToArray();
    }

    /// <summary>Sub when it makes the row's bytes smaller in sum (the usual heuristic), else None.</summary>
    private static void Filter(ReadOnlySpan<byte> row, Span<byte> line)
    {
        long plain = 0, sub = 0;
        for (var i = 0; i < row.Length; i++)
        {
            plain += Math.Abs((int)(sbyte)row[i]);
            sub += Math.Abs((int)(sbyte)(byte)(row[i] - (i >= 3 ? row[i - 3] : 0)));
        }
        if (sub < plain)
        {
            line[0] = 1;
            for (var i = 0; i < row.Length; i++)
                line[1 + i] = (byte)(row[i] - (i >= 3 ? row[i - 3] : 0));
        }
        else
        {
            line[0] = 0;
            row.CopyTo(line[1..]);
        }
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Of(typeBytes, data));
        png.Write(word);
    }
}
