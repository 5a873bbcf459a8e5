using System.Text;

namespace KvmPortal.Hypervisor.Consoles.Screenshots;

/// <summary>An RGB image, 8 bits per sample, rows top to bottom: what a binary PPM (P6) holds.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public int Stride => Width * 3;
}

/// <summary>
/// Reads a binary PPM ("P6": header of magic, width, height and maximum value, with # comments, then the samples),
/// the format QEMU sends for screenshots. Malformed input is refused with <see cref="FormatException"/>.
/// </summary>
public static class PpmImage
{
    public const string MimeType = "image/x-portable-pixmap";

    /// <summary>Larger than any real screen; a header asking for more is malformed, not an allocation to attempt.</summary>
    private const int MaxDimension = 16384;

    public static RgbImage Read(ReadOnlySpan<byte> data)
    {
        var position = 0;
        if (data.Length < 2 || data[0] != (byte)'P' || data[1] != (byte)'6')
            throw new FormatException("Not a binary PPM image (P6).");
        position = 2;
        var width = ReadNumber(data, ref position, "width");
        var height = ReadNumber(data, ref position, "height");
        var maxValue = ReadNumber(data, ref position, "maximum value");
        if (width is < 1 or > MaxDimension || height is < 1 or > MaxDimension)
            throw new FormatException($"Unsupported PPM size {width}x{height}.");
        if (maxValue is < 1 or > 65535)
            throw new FormatException($"Invalid PPM maximum value {maxValue}.");
        if (position >= data.Length || !IsWhitespace(data[position]))
            throw new FormatException("The PPM header does not end with whitespace.");
        position++; // exactly one whitespace byte separates the header from the samples

        var bytesPerSample = maxValue < 256 ? 1 : 2;
        var samples = width * height * 3;
        var body = data[position..];
        if (body.Length < samples * bytesPerSample)
            throw new FormatException($"The PPM image is truncated: {body.Length} of {samples * bytesPerSample} bytes.");
        return new RgbImage(width, height, ToEightBits(body, samples, bytesPerSample, maxValue));
    }

    private static byte[] ToEightBits(ReadOnlySpan<byte> body, int samples, int bytesPerSample, int maxValue)
    {
        if (bytesPerSample == 1 && maxValue == 255)
            return body[..samples].ToArray();
        var pixels = new byte[samples];
        for (var i = 0; i < samples; i++)
        {
            var value = bytesPerSample == 1 ? body[i] : (body[2 * i] << 8) | body[2 * i + 1];
            pixels[i] = (byte)((Math.Min(value, maxValue) * 255 + maxValue / 2) / maxValue);
        }
        return pixels;
    }

    /// <summary>Skips whitespace and comments, then reads a decimal number.</summary>
    private static int ReadNumber(ReadOnlySpan<byte> data, ref int position, string what)
    {
        while (position < data.Length && (IsWhitespace(data[position]) || data[position] == (byte)'#'))
        {
            if (data[position] == (byte)'#')
                while (position < data.Length && data[position] != (byte)'\n')
                    position++;
            else
                position++;
        }
        var start = position;
        long value = 0;
        while (position < data.Length && data[position] is >= (byte)'0' and <= (byte)'9' && position - start < 6)
            value = value * 10 + (data[position++] - '0');
        if (position == start || (position < data.Length && !IsWhitespace(data[position])))
            throw new FormatException($"The PPM header has no valid {what}: \"{Encoding.ASCII.GetString(data[start..Math.Min(data.Length, start + 8)])}\".");
        return (int)value;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
}
