namespace KvmPortal.Hypervisor.Vms.Create;

/// <summary>A disk of the VM with the spec field it came from, after the install source added its own.</summary>
internal sealed record EffectiveDisk(DiskSpec Disk, string Field);

internal static class EffectiveDisks
{
    /// <summary>The install source's disk (ISO, imported or cloned volume) first, then the spec's disks.</summary>
    public static IReadOnlyList<EffectiveDisk> Of(DomainSpec spec)
    {
        var disks = new List<EffectiveDisk>();
        switch (spec.Install)
        {
            case CdromInstallSource cdrom:
                disks.Add(new(DiskSpec.Cdrom(cdrom.Iso, CdromBus(spec)), "Install.Iso"));
                break;
            case ImportDiskSource import:
                disks.Add(new(new DiskSpec { Bus = import.Bus, ExistingVolume = import.Volume }, "Install.Volume"));
                break;
            case LinkedCloneSource clone:
                disks.Add(new(new DiskSpec
                {
                    Bus = clone.Bus,
                    NewVolume = new NewVolumeSpec(clone.Pool, clone.VolumeName, clone.SizeBytes ?? 0, VolumeFormat.Qcow2,
                        Preallocation.Off, clone.Template),
                }, "Install.VolumeName"));
                break;
        }
        disks.AddRange(spec.Disks.Select((d, i) => new EffectiveDisk(d, $"Disks[{i}]")));
        return disks;
    }

    /// <summary>IDE for the i440fx "pc" machines (which have it built in), SATA otherwise.</summary>
    public static DiskBus CdromBus(DomainSpec spec) =>
        spec.Machine is { } machine && machine.StartsWith("pc", StringComparison.Ordinal) && !machine.Contains("q35") ? DiskBus.Ide : DiskBus.Sata;
}
