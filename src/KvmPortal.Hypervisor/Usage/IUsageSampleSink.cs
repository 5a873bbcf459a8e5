namespace KvmPortal.Hypervisor.Usage;

/// <summary>
/// Receives every host's usage samples as the host sessions take them. Called on a host session's loop: an
/// implementation must return at once (queue the sample) and must not throw.
/// </summary>
public interface IUsageSampleSink
{
    void Accept(HostUsageSample sample);
}
