using KvmPortal.Web.Access;

namespace KvmPortal.Web.Jobs;

/// <summary>The current user's view of the <see cref="JobRunner"/>: their jobs (an administrator: everyone's).</summary>
internal sealed class JobCenter(JobRunner runner, JobStore store, OperationGate gate) : IJobCenter
{
    public async Task<JobHandle> StartAsync(JobRequest request, JobWork work, CancellationToken stopWith = default)
    {
        var owner = await gate.GetActorAsync(PortalAction.ViewVm, stopWith);
        return await runner.StartAsync(owner, request, work, stopWith);
    }

    public async Task<IReadOnlyList<JobView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var actor = await gate.GetActorAsync(PortalAction.ViewVm, cancellationToken);
        var everyone = await SeesEveryoneAsync(cancellationToken);
        var records = await store.ListAsync(everyone ? null : actor.UserId, cancellationToken);
        return [.. records.Select(r => runner.Find(r.Id) ?? JobStore.ToView(r))];
    }

    public Task<bool> SeesEveryoneAsync(CancellationToken cancellationToken = default) =>
        gate.IsAllowedAsync(PortalAction.ManageUsers, AccessTarget.Global, cancellationToken);

    public async Task<IDisposable> SubscribeAsync(Action<JobView> changed, CancellationToken cancellationToken = default)
    {
        var actor = await gate.GetActorAsync(PortalAction.ViewVm, cancellationToken);
        var everyone = await SeesEveryoneAsync(cancellationToken);
        return new Subscription(runner, job =>
        {
            if (everyone || job.OwnerId == actor.UserId) changed(job);
        });
    }

    public async Task<int> CountRunningAsync(CancellationToken cancellationToken = default)
    {
        var actor = await gate.GetActorAsync(PortalAction.ViewVm, cancellationToken);
        return runner.Running.Count(j => j.OwnerId == actor.UserId && j.IsRunning);
    }

    public async Task<bool> CancelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var actor = await gate.GetActorAsync(PortalAction.ViewVm, cancellationToken);
        if (runner.Find(id) is not { } job)
            return false;
        if (job.OwnerId != actor.UserId && !await SeesEveryoneAsync(cancellationToken))
            throw new AccessDeniedException(PortalAction.ManageUsers, $"{actor.UserName} may not cancel another user's job.");
        return await runner.CancelAsync(id, actor);
    }

    private sealed class Subscription : IDisposable
    {
        private readonly JobRunner _runner;
        private readonly Action<JobView> _changed;

        public Subscription(JobRunner runner, Action<JobView> changed)
        {
            _runner = runner;
            _changed = changed;
            runner.Changed += _changed;
        }

        public void Dispose() => _runner.Changed -= _changed;
    }
}
