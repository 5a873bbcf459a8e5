using System.ComponentModel.DataAnnotations;

namespace KvmPortal.Hypervisor;

/// <summary>How host sessions talk to libvirt. Bound from the "Hypervisor" configuration section.</summary>
public sealed class HypervisorOptions
{
    /// <summary>How often each host is asked for the stats of all its VMs (one bulk call).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>libvirt keepalive: a host that answers no ping for Interval x Count is dropped.</summary>
    [Range(1, 3600)]
    public int KeepAliveIntervalSeconds { get; set; } = 5;

    [Range(1, 100)]
    public int KeepAliveCount { get; set; } = 3;

    /// <summary>How long opening a connection may take before the host counts as offline.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Where hosts' stored credentials are written for libvirt (a private folder per host, removed when the host is
    /// detached). Unset: a new private folder in the temporary directory per instance, removed at shut-down.
    /// </summary>
    public string? CredentialsDirectory { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}
