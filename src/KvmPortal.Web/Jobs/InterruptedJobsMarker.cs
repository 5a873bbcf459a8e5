using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Hosting;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Jobs;

/// <summary>
/// At start (after the migrations), marks the jobs this instance left running as interrupted and audits each under
/// its owner's name, so a job cut off by a stop or crash is shown as such and never silently lost.
/// </summary>
internal sealed class InterruptedJobsMarker(JobStore store, JobRunner runner, IOptions<KvmPortalOptions> options, TimeProvider clock,
    ILogger<InterruptedJobsMarker> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var interrupted = await store.MarkInterruptedAsync(options.Value.InstanceName, clock.GetUtcNow(), cancellationToken);
        foreach (var job in interrupted)
        {
            logger.LogWarning("Job {Job} ({Kind} {Subject} of {Owner}) was running when the dashboard stopped; marked interrupted",
                job.Id, job.Kind, job.Subject, job.OwnerName);
            await runner.RecordAsync(new Actor(job.OwnerId, job.OwnerName, null), JobRunner.AuditInterrupted,
                new AuditTarget(job.HostId, job.HostName, Other: job.Subject), job.Id, job.Kind, succeeded: false, "The dashboard stopped while the job ran.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
