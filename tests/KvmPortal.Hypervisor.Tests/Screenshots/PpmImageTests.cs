using System.Text;
using KvmPortal.Hypervisor.Consoles.Screenshots;

namespace KvmPortal.Hypervisor.Tests.Screenshots;

public sealed class PpmImageTests
{
    [Fact]
    public void Reads_qemus_header_and_samples()
    {
        byte[] samples = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var image = PpmImage.Read(Ppm("P6\n2 2\n255\n", samples));

        Assert.Equal((2, 2, 6), (image.Width, image.Height, image.Stride));
        Assert.Equal(samples, image.Pixels);
    }

    [Fact]
    public void Reads_comments_other_whitespace_and_other_maximum_values()
    {
        var image = PpmImage.Read(Ppm("P6 # made by hand\n1\t1 # one pixel\r\n15 ", [0, 15, 5]));
        Assert.Equal([0, 255, 85], image.Pixels);

        var wide = PpmImage.Read(Ppm("P6\n1 1\n65535\n", [0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00]));
        Assert.Equal([255, 128, 0], wide.Pixels);
    }

    [Theory]
    [InlineData("P3\n1 1\n255\n")]            // the ASCII variant
    [InlineData("P6\n1\n")]                    // no height
    [InlineData("P6\nx 1\n255\n")]             // not a number
    [InlineData("P6\n0 1\n255\n")]             // empty
    [InlineData("P6\n99999 1\n255\n")]         // absurd size
    [InlineData("P6\n1 1\n0\n")]               // no maximum value
    [InlineData("P6\n1 1\n70000\n")]           // too deep
    [InlineData("P6\n1 1\n255")]               // header not ended
    [InlineData("")]
    public void Refuses_malformed_headers(string header) =>
        Assert.Throws<FormatException>(() => PpmImage.Read(Ppm(header, [1, 2, 3])));

    [Fact]
    public void Refuses_a_truncated_image()
    {
        var error = Assert.Throws<FormatException>(() => PpmImage.Read(Ppm("P6\n2 2\n255\n", new byte[11])));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_converted_ppm_is_the_same_picture_as_png()
    {
        var screen = PngEncoderTests.ScreenLike(64, 40);
        var ppm = Ppm($"P6\n{screen.Width} {screen.Height}\n255\n", screen.Pixels);

        Assert.Equal(screen.Pixels, DecodedPng.Decode(PngEncoder.Encode(PpmImage.Read(ppm))).Rgb);
    }

    private static byte[] Ppm(string header, byte[] samples) => [.. Encoding.ASCII.GetBytes(header), .. samples];
}
