namespace KvmPortal.Libvirt.Tests;

/// <summary>
/// Tests on qemu:///system run one after another, so the daemon clients of this process can be told apart.
/// </summary>
[CollectionDefinition(Name)]
public sealed class QemuSystemCollection
{
    public const string Name = "qemu:///system";
}
