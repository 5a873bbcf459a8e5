namespace KvmPortal.Libvirt;

/// <summary>
/// One picture of a domain's screen as the hypervisor gave it: <paramref name="MimeType"/> says the format (with QEMU
/// 7.1 or later libvirt asks for "image/png"; older QEMU sends "image/x-portable-pixmap", a binary PPM).
/// </summary>
public sealed record DomainScreenshot(string MimeType, byte[] Data);
