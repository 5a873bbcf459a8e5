using System.Buffers.Binary;

namespace KvmPortal.Hypervisor.Consoles.Screenshots;

/// <summary>The size a PNG declares: the signature, then the IHDR chunk first. Anything else is a <see cref="FormatException"/>.</summary>
public static class PngHeader
{
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> png)
    {
        if (png.Length < 33 || !png.StartsWith(PngEncoder.Signature))
            throw new FormatException("Not a PNG image.");
        var ihdr = png[8..33];
        if (BinaryPrimitives.ReadInt32BigEndian(ihdr) != 13 || !ihdr[4..8].SequenceEqual("IHDR"u8))
            throw new FormatException("The PNG image does not start with its IHDR chunk.");
        if (BinaryPrimitives.ReadUInt32BigEndian(ihdr[21..]) != Crc32.Of(ihdr[4..8], ihdr[8..21]))
            throw new FormatException("The PNG image's IHDR chunk is damaged (CRC mismatch).");
        var width = BinaryPrimitives.ReadInt32BigEndian(ihdr[8..]);
        var height = BinaryPrimitives.ReadInt32BigEndian(ihdr[12..]);
        if (width <= 0 || height <= 0)
            throw new FormatException($"Invalid PNG size {width}x{height}.");
        return (width, height);
    }
}
