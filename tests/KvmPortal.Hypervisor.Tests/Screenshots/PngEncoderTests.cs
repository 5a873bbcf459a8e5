using KvmPortal.Hypervisor.Consoles.Screenshots;

namespace KvmPortal.Hypervisor.Tests.Screenshots;

public sealed class PngEncoderTests
{
    [Fact]
    public void A_screen_like_image_decodes_back_to_the_same_pixels()
    {
        var image = ScreenLike(333, 97);

        var png = PngEncoder.Encode(image);
        var decoded = DecodedPng.Decode(png);

        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.Chunks);
        Assert.Equal((333, 97, (byte)8, (byte)2), (decoded.Width, decoded.Height, decoded.BitDepth, decoded.ColourType));
        Assert.Equal(image.Pixels, decoded.Rgb);
        Assert.Equal((333, 97), PngHeader.ReadSize(png));
        Assert.True(png.Length < image.Pixels.Length / 4, $"{png.Length} bytes: a mostly plain screen should compress well.");
    }

    [Fact]
    public void Noise_and_a_single_pixel_survive_the_round_trip_too()
    {
        var noise = new RgbImage(64, 48, Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 64 * 48 * 3));
        Assert.Equal(noise.Pixels, DecodedPng.Decode(PngEncoder.Encode(noise)).Rgb);

        var dot = new RgbImage(1, 1, [0x12, 0x34, 0x56]);
        Assert.Equal(dot.Pixels, DecodedPng.Decode(PngEncoder.Encode(dot)).Rgb);
    }

    [Fact]
    public void The_header_reader_refuses_what_is_not_a_sound_png()
    {
        var png = PngEncoder.Encode(ScreenLike(40, 30));

        Assert.Throws<FormatException>(() => PngHeader.ReadSize(png[..20]));
        Assert.Throws<FormatException>(() => PngHeader.ReadSize("GIF89a-not-a-png-at-all-but-long-enough"u8));
        var damaged = (byte[])png.Clone();
        damaged[17] ^= 0x01; // the width changes, the CRC does not
        Assert.Throws<FormatException>(() => PngHeader.ReadSize(damaged));
    }

    [Fact]
    public void The_crc_matches_the_published_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Of("123456789"u8)); // the CRC-32 catalogue's check value
        Assert.Equal(Crc32.Of("IEND"u8), Crc32.Of("IE"u8, "ND"u8));
    }

    /// <summary>A dark screen with a light text-like pattern and a gradient bar, like a console or a desktop.</summary>
    internal static RgbImage ScreenLike(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var i = (y * width + x) * 3;
            var text = y % 16 < 10 && x % 9 < 6 && (x * 7 + y * 3) % 5 == 0;
            var bar = y >= height - 8;
            pixels[i] = bar ? (byte)(x * 255 / width) : text ? (byte)0xAA : (byte)0;
            pixels[i + 1] = bar ? (byte)64 : text ? (byte)0xAA : (byte)0;
            pixels[i + 2] = bar ? (byte)(255 - x * 255 / width) : text ? (byte)0xAA : (byte)0;
        }
        return new RgbImage(width, height, pixels);
    }
}
