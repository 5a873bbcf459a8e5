using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Hypervisor.Vms.Templates;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>Templates of kvmportal-test-* domains on qemu:///system: the mark, the refused start, VMs made from them.</summary>
[Collection(SystemDaemonCollection.Name)]
public sealed class VmTemplatesTests
{
    [Fact]
    public async Task The_mark_is_in_the_metadata_on_the_host_the_inventory_shows_it_and_start_is_refused()
    {
        using var source = new SnapshotDomain();
        await using var hypervisor = new HypervisorHarness();
        var (host, vm) = await AttachAsync(hypervisor, source);

        await hypervisor.Templates.SetTemplateAsync(vm, true);

        var metadata = XElement.Parse(TestStorage.Virsh("metadata", source.Name, "--uri", VmTemplateTag.Namespace, "--config"));
        Assert.Equal("template", metadata.Name.LocalName);
        Assert.True(DateTimeOffset.TryParse((string?)metadata.Attribute("marked"), out _));
        await hypervisor.Live.WaitForVmAsync(host, source.Name, v => v.Template, "marked as a template");

        var refused = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Vms.ExecuteAsync(vm, VmAction.Start));
        Assert.Equal(HypervisorErrorKind.VmIsTemplate, refused.Kind);
        Assert.Equal([source.Name], refused.Arguments);
        var paused = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Editing.StartAsync(vm, paused: true));
        Assert.Equal(HypervisorErrorKind.VmIsTemplate, paused.Kind);
        await hypervisor.Snapshots.CreateAsync(vm, new SnapshotSpec("s1", null, SnapshotKind.Internal, false));
        var revert = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Snapshots.RevertAsync(vm, "s1", RevertStart.Running));
        Assert.Equal(HypervisorErrorKind.VmIsTemplate, revert.Kind);
        using (var domain = source.Lookup()) Assert.False(domain.IsActive);

        await hypervisor.Templates.SetTemplateAsync(vm, false);

        Assert.Throws<InvalidOperationException>(() => TestStorage.Virsh("metadata", source.Name, "--uri", VmTemplateTag.Namespace, "--config"));
        await hypervisor.Live.WaitForVmAsync(host, source.Name, v => !v.Template, "no longer a template");
        await hypervisor.Vms.ExecuteAsync(vm, VmAction.Start);
        using (var domain = source.Lookup()) Assert.True(domain.IsActive);
    }

    [Fact]
    public async Task A_running_vm_cannot_become_a_template_and_a_template_is_read_when_the_host_is_first_seen()
    {
        using var running = new SnapshotDomain();
        using var marked = new SnapshotDomain();
        using (var domain = marked.Lookup())
            domain.SetElementMetadata(VmTemplateTag.ToXml(DateTimeOffset.UtcNow), VmTemplateTag.Prefix, VmTemplateTag.Namespace, DomainModificationImpact.Config);
        using (var domain = running.Lookup()) domain.Create();
        await using var hypervisor = new HypervisorHarness();
        var (host, vm) = await AttachAsync(hypervisor, running);

        var refused = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Templates.SetTemplateAsync(vm, true));

        Assert.Equal(HypervisorErrorKind.TemplateNeedsShutOff, refused.Kind);
        Assert.Throws<InvalidOperationException>(() => TestStorage.Virsh("metadata", running.Name, "--uri", VmTemplateTag.Namespace, "--config"));
        var snapshot = hypervisor.Live.Current;
        Assert.True(snapshot.Vm(host, marked.Name).Template);
        Assert.False(snapshot.Vm(host, running.Name).Template);
    }

    [Fact]
    public async Task A_linked_vm_and_a_full_copy_are_made_from_a_template_and_are_ordinary_vms()
    {
        using var source = new SnapshotDomain();
        source.WriteMarker("GOLDEN");
        await using var hypervisor = new HypervisorHarness();
        var (_, template) = await AttachAsync(hypervisor, source);
        await hypervisor.Templates.SetTemplateAsync(template, true);
        var linkedName = TestDomains.NewName();
        var fullName = TestDomains.NewName();
        using var connection = TestDomains.OpenSystem();
        try
        {
            var linked = await hypervisor.Cloning.CloneAsync(template, new CloneSpec(linkedName, Linked: true, FromTemplate: true));
            var full = await hypervisor.Cloning.CloneAsync(template, new CloneSpec(fullName, FromTemplate: true));

            var overlay = QemuImg(Path.Combine(source.PoolPath, $"{linkedName}-vda.qcow2"));
            Assert.Equal(source.DiskPath, overlay.GetProperty("backing-filename").GetString());
            var copy = QemuImg(Path.Combine(source.PoolPath, $"{fullName}-vda.qcow2"));
            Assert.False(copy.TryGetProperty("backing-filename", out _));
            Assert.Equal("GOLDEN", SnapshotDomain.ReadStart(Path.Combine(source.PoolPath, $"{fullName}-vda.qcow2"), "qcow2", 6));
            foreach (var made in new[] { linked, full })
            {
                using var domain = connection.LookupDomainByUuid(made.Uuid);
                Assert.False(VmTemplateTag.IsTemplate(domain));
                Assert.DoesNotContain(VmTemplateTag.Namespace, domain.GetXmlDescription(DomainXmlFlags.Inactive));
            }
            await hypervisor.Vms.ExecuteAsync(linked, VmAction.Start); // the VM made from it runs; the template stays marked
            using var templateDomain = source.Lookup();
            Assert.True(VmTemplateTag.IsTemplate(templateDomain));
        }
        finally
        {
            TestDomains.Remove(connection, linkedName);
            TestDomains.Remove(connection, fullName);
        }
    }

    [Fact]
    public async Task Making_a_vm_from_a_vm_that_is_not_a_template_is_refused_before_anything_is_made()
    {
        using var source = new SnapshotDomain();
        await using var hypervisor = new HypervisorHarness();
        var (_, vm) = await AttachAsync(hypervisor, source);
        var name = TestDomains.NewName();

        var refused = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name, FromTemplate: true)));

        Assert.Equal(HypervisorErrorKind.NotATemplate, refused.Kind);
        using var connection = TestDomains.OpenSystem();
        Assert.Equal(ErrorCode.NoDomain, Assert.Throws<LibvirtException>(() => connection.LookupDomainByName(name).Dispose()).ErrorCode);
    }

    private static async Task<(HostDefinition Host, VmKey Vm)> AttachAsync(HypervisorHarness hypervisor, SnapshotDomain domain)
    {
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForVmAsync(host, domain.Name, _ => true, "listed");
        return (host, new VmKey(host.Id, domain.Uuid));
    }

    private static JsonElement QemuImg(string path)
    {
        var start = new ProcessStartInfo("qemu-img", ["info", "--output=json", "-U", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
