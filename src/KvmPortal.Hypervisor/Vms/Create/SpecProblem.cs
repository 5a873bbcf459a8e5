using System.Globalization;

namespace KvmPortal.Hypervisor.Vms.Create;

/// <summary>
/// One problem with a spec, keyed by the field it concerns (e.g. "Name", "Disks[1].SizeBytes").
/// <see cref="Key"/>, <see cref="Subject"/> and <see cref="Arguments"/> say the same as <see cref="Message"/> (English,
/// for logs and the API) in a stable form a user interface translates.
/// </summary>
/// <param name="Field">The field the problem concerns.</param>
/// <param name="Key">Which rule the value breaks, e.g. "NameRequired"; stable across versions.</param>
/// <param name="Message">The problem in English.</param>
/// <param name="Arguments">
/// The values the message mentions, culture-neutral: the user's values as given, counts in invariant digits
/// (<see cref="Number"/>), sizes in binary units (<see cref="Size"/>, "64 TiB"), which read the same in every language.
/// </param>
public sealed record SpecProblem(string Field, string Key, string Message, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// What the problem is about when one rule serves several things (e.g. "VmName" or "VolumeName" for
    /// "NameRequired"): a term the user interface translates and puts before <see cref="Arguments"/>.
    /// </summary>
    public string? Subject { get; init; }

    public static SpecProblem Of(string field, string key, string message, params string[] arguments) => new(field, key, message, arguments);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A size as the largest whole binary unit that divides it ("16 MiB", "64 TiB", else bytes).</summary>
    public static string Size(ulong bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var unit = 0;
        while (unit < units.Length - 1 && bytes >= 1024 && bytes % 1024 == 0)
        {
            bytes /= 1024;
            unit++;
        }
        return $"{bytes.ToString(CultureInfo.InvariantCulture)} {units[unit]}";
    }
}
