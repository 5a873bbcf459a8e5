using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Storage;

/// <summary>Checks a <see cref="VolumeSpec"/> on its own; the host checks its pool and backing volume.</summary>
public static class VolumeSpecValidator
{
    /// <summary>The volume's own problems, before the host is asked about its pool and backing volume.</summary>
    public static IEnumerable<SpecProblem> Validate(VolumeSpec spec)
    {
        if (CheckName(spec.Name, "Name") is { } nameProblem) yield return nameProblem;
        if (spec.BackingVolume is null && spec.SizeBytes == 0) yield return SpecProblem.Of("SizeBytes", "VolumeSizeRequired", "The volume needs a size.");
        if (spec.SizeBytes > DomainSpecValidator.MaxDiskBytes)
        {
            var most = SpecProblem.Size(DomainSpecValidator.MaxDiskBytes);
            yield return SpecProblem.Of("SizeBytes", "VolumeTooLarge", $"The volume can be at most {most}.", most);
        }
        if (spec.BackingVolume is not null && spec.Format != VolumeFormat.Qcow2)
            yield return SpecProblem.Of("Format", "OverlayNotQcow2", "A volume with a backing volume must be qcow2.");
        if (spec.BackingVolume is not null && spec.Preallocation == Preallocation.Full)
            yield return SpecProblem.Of("Preallocation", "OverlayPreallocated", "A copy-on-write volume cannot be fully preallocated.");
    }

    /// <summary>A volume's name as a file in its pool; null when it is fine.</summary>
    public static SpecProblem? CheckName(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name)) return SpecProblem.Of(field, "VolumeNameRequired", "The volume needs a name.");
        if (name.Length > 200) return SpecProblem.Of(field, "VolumeNameTooLong", "The volume name can have at most 200 characters.", SpecProblem.Number(200));
        if (name is "." or ".." || name.Contains('/') || name.Any(char.IsControl) || name.StartsWith('-'))
            return SpecProblem.Of(field, "VolumeNameInvalid", "The volume name must not contain '/' or control characters, be '.' or '..', or start with '-'.");
        return null;
    }
}
