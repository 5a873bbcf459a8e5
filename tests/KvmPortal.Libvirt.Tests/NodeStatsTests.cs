namespace KvmPortal.Libvirt.Tests;

/// <summary>virNodeGetCPUStats and virNodeGetMemoryStats on the test driver and the real host.</summary>
public sealed class NodeStatsTests
{
    [Fact]
    public void Test_driver_reports_cpu_times_but_refuses_memory_stats()
    {
        using var connection = Connection.Open("test:///default");

        var cpu = connection.GetNodeCpuStats();
        var error = Assert.Throws<LibvirtException>(() => connection.GetNodeMemoryStats());

        Assert.Contains("kernel", cpu.Keys);
        Assert.Contains("idle", cpu.Keys);
        Assert.Equal(ErrorCode.NoSupport, error.ErrorCode);
    }

    [Fact]
    public void Qemu_system_reports_the_hosts_cpu_times_and_memory()
    {
        using var connection = QemuSystem.Open();

        var cpu = connection.GetNodeCpuStats();
        var memory = connection.GetNodeMemoryStats();

        Assert.True(cpu["user"] + cpu["kernel"] > 0);
        Assert.True(cpu["idle"] > 0);
        Assert.True(memory["total"] > 0);
        Assert.True(memory["free"] <= memory["total"]);
        Assert.Contains("cached", memory.Keys);
        Assert.True(connection.GetNodeCpuStats()["idle"] >= cpu["idle"]);
    }
}
