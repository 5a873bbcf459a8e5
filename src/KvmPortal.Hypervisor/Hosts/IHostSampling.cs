namespace KvmPortal.Hypervisor.Hosts;

/// <summary>When each attached host's stats were last sampled: how far behind the sampler is, for monitoring.</summary>
public interface IHostSampling
{
    /// <summary>One entry per attached host; <see cref="HostSample.SampledAt"/> is null until its first sample.</summary>
    IReadOnlyList<HostSample> LastSamples();
}

public sealed record HostSample(Guid HostId, string HostName, DateTimeOffset? SampledAt);
