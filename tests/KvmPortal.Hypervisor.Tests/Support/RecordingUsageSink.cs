using System.Threading.Channels;
using KvmPortal.Hypervisor.Usage;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>Keeps every usage sample a host session hands over, for tests to wait on.</summary>
internal sealed class RecordingUsageSink : IUsageSampleSink
{
    private readonly Channel<HostUsageSample> _samples = Channel.CreateUnbounded<HostUsageSample>();

    public void Accept(HostUsageSample sample) => _samples.Writer.TryWrite(sample);

    /// <summary>The next sample of <paramref name="hostId"/> that satisfies <paramref name="condition"/>.</summary>
    public async Task<HostUsageSample> WaitForAsync(Guid hostId, Func<HostUsageSample, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var sample in _samples.Reader.ReadAllAsync(timeout.Token))
                if (sample.HostId == hostId && condition(sample)) return sample;
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"No usage sample {what} within 30 s.");
    }
}

/// <summary>A sink that always fails: the host session must carry on.</summary>
internal sealed class ThrowingUsageSink : IUsageSampleSink
{
    public void Accept(HostUsageSample sample) => throw new InvalidOperationException("sink broken");
}
