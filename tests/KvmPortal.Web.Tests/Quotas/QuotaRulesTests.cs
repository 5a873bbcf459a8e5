using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Quotas;

namespace KvmPortal.Web.Tests.Quotas;

/// <summary>What counts against a quota and when a request is refused: pure functions, no I/O.</summary>
public sealed class QuotaRulesTests
{
    private const ulong GiB = 1UL << 30;
    private static readonly TeamQuota Alpha = new(Guid.NewGuid(), "Alpha", MaxVcpus: 8, MaxMemoryMib: 8 * 1024, MaxDiskGib: 100, MaxVms: 3);

    private static VmInfo Vm(VmState state, int vcpus = 2, ulong memory = 2 * GiB) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "vm", state, vcpus, memory, null, null, true);

    [Fact]
    public void Exactly_at_the_limit_is_allowed_and_one_more_is_refused()
    {
        var use = new QuotaAmounts(Vms: 2, Vcpus: 6, MemoryBytes: 6 * GiB, DiskBytes: 90 * GiB);

        Assert.Empty(QuotaRules.Exceeded(Alpha, use, new QuotaAmounts(1, 2, 2 * GiB, 10 * GiB)));

        Assert.Equal([new QuotaExcess(QuotaKind.Vms, 3, 2, 2)], QuotaRules.Exceeded(Alpha, use, new QuotaAmounts(Vms: 2)));
        Assert.Equal([new QuotaExcess(QuotaKind.Vcpus, 8, 6, 3)], QuotaRules.Exceeded(Alpha, use, new QuotaAmounts(Vcpus: 3)));
        Assert.Equal([new QuotaExcess(QuotaKind.Memory, 8 * GiB, 6 * GiB, 2 * GiB + 1)], QuotaRules.Exceeded(Alpha, use, new QuotaAmounts(MemoryBytes: 2 * GiB + 1)));
        Assert.Equal([new QuotaExcess(QuotaKind.Disk, 100 * GiB, 90 * GiB, 10 * GiB + 1)], QuotaRules.Exceeded(Alpha, use, new QuotaAmounts(DiskBytes: 10 * GiB + 1)));
    }

    [Fact]
    public void Every_exceeded_quota_is_listed_in_order()
    {
        var use = new QuotaAmounts(Vms: 3, Vcpus: 8, MemoryBytes: 8 * GiB, DiskBytes: 100 * GiB);

        var exceeded = QuotaRules.Exceeded(Alpha, use, new QuotaAmounts(1, 1, 1, 1));

        Assert.Equal([QuotaKind.Vms, QuotaKind.Vcpus, QuotaKind.Memory, QuotaKind.Disk], exceeded.Select(e => e.Kind));
    }

    [Fact]
    public void No_limit_never_refuses()
    {
        var unlimited = new TeamQuota(Guid.NewGuid(), "Open");

        Assert.False(unlimited.HasLimits);
        Assert.Empty(QuotaRules.Exceeded(unlimited, new QuotaAmounts(1000, 1000, 1000 * GiB, 1000 * GiB), new QuotaAmounts(1, 64, 512 * GiB, 10_000 * GiB)));
        Assert.Empty(QuotaRules.Exceeded(Alpha with { MaxMemoryMib = null }, new QuotaAmounts(MemoryBytes: 100 * GiB), new QuotaAmounts(MemoryBytes: GiB)));
    }

    [Fact]
    public void A_team_over_its_limit_is_not_refused_for_what_it_does_not_add()
    {
        var over = new QuotaAmounts(Vms: 5, Vcpus: 20, MemoryBytes: 20 * GiB, DiskBytes: 200 * GiB);

        Assert.Empty(QuotaRules.Exceeded(Alpha, over, QuotaAmounts.None));
        Assert.Equal([QuotaKind.Memory], QuotaRules.Exceeded(Alpha, over, new QuotaAmounts(MemoryBytes: 1)).Select(e => e.Kind));
    }

    [Fact]
    public void Every_vm_counts_but_running_only_quotas_count_vcpus_and_memory_of_running_vms_only()
    {
        VmInfo[] vms = [Vm(VmState.Running, 2, 2 * GiB), Vm(VmState.ShutOff, 4, 4 * GiB), Vm(VmState.Paused, 1, GiB), Vm(VmState.Crashed, 8, 8 * GiB)];

        Assert.Equal(new QuotaAmounts(4, 15, 15 * GiB, 7), QuotaRules.UseOf(vms, runningOnly: false, diskBytes: 7));
        Assert.Equal(new QuotaAmounts(4, 3, 3 * GiB, 7), QuotaRules.UseOf(vms, runningOnly: true, diskBytes: 7));
    }

    [Fact]
    public void A_vm_whose_host_is_offline_still_counts_as_running()
    {
        Assert.True(QuotaRules.CountsCompute(Vm(VmState.Unknown), runningOnly: true));
        Assert.False(QuotaRules.CountsCompute(Vm(VmState.ShutOff), runningOnly: true));
        Assert.True(QuotaRules.CountsCompute(Vm(VmState.ShutOff), runningOnly: false));
    }

    [Fact]
    public void The_refusal_names_the_quota_the_team_the_limit_the_use_and_the_request()
    {
        var refusal = QuotaRules.Refusal(Alpha, new QuotaExcess(QuotaKind.Memory, 8 * GiB, 6 * GiB, 4 * GiB));

        Assert.Equal("Team Alpha's memory quota (8 GiB) would be exceeded: 6 GiB in use, 4 GiB requested.", refusal.Message);
        Assert.Equal(HypervisorErrorKind.QuotaMemoryExceeded, refusal.Kind);
        Assert.Equal(["Alpha", "8 GiB", "6 GiB", "4 GiB"], refusal.Arguments);
        Assert.True(QuotaRules.IsRefusal(refusal));
        Assert.False(QuotaRules.IsRefusal(HypervisorException.Because(HypervisorErrorKind.InvalidState, "not running")));

        Assert.Equal("Team Alpha's VM count quota (3) would be exceeded: 3 in use, 1 requested.",
            QuotaRules.Refusal(Alpha, new QuotaExcess(QuotaKind.Vms, 3, 3, 1)).Message);
        Assert.Equal("Team Alpha's disk quota (100 GiB) would be exceeded: 99.5 GiB in use, 512 MiB requested.",
            QuotaRules.Refusal(Alpha, new QuotaExcess(QuotaKind.Disk, 100 * GiB, 99 * GiB + GiB / 2, GiB / 2)).Message);
    }
}

public sealed class DomainXmlAllocationTests
{
    [Theory]
    [InlineData("<domain><vcpu>4</vcpu><memory unit='MiB'>512</memory></domain>", 4, 512UL << 20)]
    [InlineData("<domain><vcpu current='2'>8</vcpu><memory>8388608</memory><currentMemory unit='KiB'>2097152</currentMemory></domain>", 2, 2UL << 30)]
    [InlineData("<domain><vcpu>x</vcpu><memory unit='parsecs'>1</memory></domain>", null, null)]
    [InlineData("<domain", null, null)]
    public void Reads_the_current_vcpus_and_memory(string xml, int? vcpus, ulong? memory) =>
        Assert.Equal((vcpus, memory), DomainXmlAllocation.Read(xml));

    [Fact]
    public void Reads_the_sources_of_disks_but_not_of_removable_media_nor_network_disks()
    {
        const string xml = """
            <domain><devices>
              <disk type='volume' device='disk'><source pool='default' volume='a.qcow2'/></disk>
              <disk type='file'><source file='/var/lib/libvirt/images/b.img'/></disk>
              <disk type='block' device='lun'><source dev='/dev/sdz'/></disk>
              <disk type='file' device='cdrom'><source file='/isos/c.iso'/></disk>
              <disk type='network' device='disk'><source protocol='nbd' name='x'/></disk>
              <disk type='file' device='disk'/>
            </devices></domain>
            """;

        Assert.Equal(
            [new XmlDiskSource(new("default", "a.qcow2"), null), new XmlDiskSource(null, "/var/lib/libvirt/images/b.img"), new XmlDiskSource(null, "/dev/sdz")],
            DomainXmlAllocation.Disks(xml));
        Assert.Empty(DomainXmlAllocation.Disks("<domain"));
    }
}
