namespace KvmPortal.Hypervisor.Consoles.Screenshots;

/// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320, as in the PNG specification's sample code).</summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="first"/> followed by <paramref name="second"/> (a chunk's type and data).</summary>
    public static uint Of(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default)
    {
        var crc = Update(0xFFFFFFFFu, first);
        return Update(crc, second) ^ 0xFFFFFFFFu;
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
