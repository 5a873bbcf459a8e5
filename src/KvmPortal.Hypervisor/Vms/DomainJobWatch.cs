using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Libvirt;
using Microsoft.Extensions.Logging;

namespace KvmPortal.Hypervisor.Vms;

/// <summary>
/// Watches a domain's libvirt job while a blocking call runs it (a snapshot with memory; later a migration): reports
/// its data processed of total (virDomainGetJobInfo) and, when cancelled, asks libvirt to abort it (virDomainAbortJob).
/// Both run on other threads of the same connection, which libvirt allows while the call blocks.
/// </summary>
internal sealed class DomainJobWatch(HostSession session, Guid uuid)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns when <paramref name="running"/> ends (its outcome is the caller's to await).</summary>
    public async Task WatchAsync(Task running, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var aborted = false;
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(PollInterval, CancellationToken.None));
            if (running.IsCompleted) break;
            if (cancellationToken.IsCancellationRequested && !aborted)
            {
                aborted = true;
                await TryAsync(domain => { domain.AbortJob(); return true; });
            }
            if (progress is not null && await TryAsync(domain => domain.GetJobInfo()) is { Type: DomainJobType.Bounded or DomainJobType.Unbounded } job)
                progress.Report(new TransferProgress(job.DataProcessedBytes, job.DataTotalBytes > 0 ? job.DataTotalBytes : null));
        }
    }

    /// <summary>The call's answer, or default when libvirt refuses (no job yet, a job that cannot be aborted, the VM gone).</summary>
    private async Task<T?> TryAsync<T>(Func<Domain, T> call) where T : struct
    {
        try
        {
            return await session.CallAsync<T?>(connection =>
            {
                using var domain = connection.LookupDomainByUuid(uuid);
                return call(domain);
            }, CancellationToken.None);
        }
        catch (Exception e) when (e is LibvirtException or HypervisorException or ObjectDisposedException)
        {
            session.Logger.LogDebug("Domain {Uuid} job call refused: {Error}", uuid, e.Message);
            return null;
        }
    }
}
