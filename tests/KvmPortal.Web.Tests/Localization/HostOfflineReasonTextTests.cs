using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Localization;

/// <summary>Every offline reason reads in words in both languages, with libvirt's own text beside it.</summary>
public sealed class HostOfflineReasonTextTests
{
    private static readonly IStringLocalizer<Strings> Text = new StringLocalizer<Strings>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private const string LibvirtSays = "libvirt's own words";

    public static TheoryData<HostOfflineReason> Reasons => [.. Enum.GetValues<HostOfflineReason>().Where(r => r != HostOfflineReason.ConnectTimeout)];

    [Theory]
    [MemberData(nameof(Reasons))]
    public void A_reason_is_explained_and_keeps_libvirts_text(HostOfflineReason reason)
    {
        var host = new HostInfo(Guid.NewGuid(), "lab", "qemu+tls://lab/system", HostStatus.Offline, LibvirtSays, DateTimeOffset.UtcNow, null)
        {
            OfflineReason = reason,
        };
        foreach (var culture in new[] { "en", "zh-Hans" })
        {
            using var _ = new CultureScope(culture);
            var text = ErrorMessages.HostStatus(Text, host);
            Assert.NotEqual(LibvirtSays, text); // a translated explanation, not libvirt's text alone
            if (reason is not (HostOfflineReason.ClosedByHost or HostOfflineReason.KeepaliveTimeout or HostOfflineReason.ConnectionFailed))
                Assert.Contains(LibvirtSays, text);
        }
    }

    [Fact]
    public void A_changed_ssh_host_key_warns_of_interception()
    {
        var host = new HostInfo(Guid.NewGuid(), "lab", "qemu+ssh://lab/system", HostStatus.Offline, LibvirtSays, DateTimeOffset.UtcNow, null)
        {
            OfflineReason = HostOfflineReason.SshHostKeyChanged,
        };
        Assert.StartsWith("SSH: the host's key differs from the stored known_hosts entry. Someone may be intercepting", ErrorMessages.HostStatus(Text, host));
    }
}
