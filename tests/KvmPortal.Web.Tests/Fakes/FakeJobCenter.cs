using System.Collections.Concurrent;
using KvmPortal.Web.Access;
using KvmPortal.Web.Jobs;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>
/// A job center for component tests: <see cref="Jobs"/> is what the list loads; <see cref="Push"/> tells subscribers of a
/// change as the runner would; a started job's work runs at once with <see cref="Services"/> (the test's services).
/// </summary>
public sealed class FakeJobCenter(string userId = "admin-id") : IJobCenter
{
    private readonly ConcurrentDictionary<Guid, JobView> jobs = new();
    private readonly List<Action<JobView>> subscribers = [];

    public IServiceProvider? Services { get; set; }

    public bool Everyone { get; set; }

    public ConcurrentQueue<JobRequest> Started { get; } = new();

    public ConcurrentQueue<Guid> Cancelled { get; } = new();

    public static JobView Job(string kind, string subject, JobState state, JobProgress? progress = null, string owner = "admin-id", string? error = null) =>
        new(Guid.NewGuid(), owner, owner == "admin-id" ? "admin" : owner, kind, Guid.NewGuid(), "alpha", subject, state, Cancellable: true,
            CancelRequested: false, DateTimeOffset.UtcNow.AddSeconds(-75), state == JobState.Running ? null : DateTimeOffset.UtcNow, progress, error, null);

    public void Add(JobView job) => jobs[job.Id] = job;

    /// <summary>A job changed: stored and told to every subscriber (on the caller's thread, as the runner does).</summary>
    public void Push(JobView job)
    {
        jobs[job.Id] = job;
        Action<JobView>[] current;
        lock (subscribers) current = [.. subscribers];
        foreach (var changed in current) changed(job);
    }

    public async Task<JobHandle> StartAsync(JobRequest request, JobWork work, CancellationToken stopWith = default)
    {
        Started.Enqueue(request);
        var job = new JobView(Guid.NewGuid(), userId, "admin", request.Kind, request.Target.HostId, request.Target.HostName, request.Subject,
            JobState.Running, request.Cancellable, false, DateTimeOffset.UtcNow, null, null, null, null);
        Push(job);
        var outcome = await work(new JobContext(Services ?? throw new InvalidOperationException("Set Services first."), new NoProgress(), stopWith));
        Push(job with { State = JobState.Succeeded, FinishedAt = DateTimeOffset.UtcNow, ResultLink = outcome.ResultLink });
        return new JobHandle(job, Task.FromResult(outcome));
    }

    public Task<IReadOnlyList<JobView>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<JobView>>([.. jobs.Values.Where(j => Everyone || j.OwnerId == userId).OrderByDescending(j => j.StartedAt)]);

    public Task<bool> SeesEveryoneAsync(CancellationToken cancellationToken = default) => Task.FromResult(Everyone);

    public Task<IDisposable> SubscribeAsync(Action<JobView> changed, CancellationToken cancellationToken = default)
    {
        lock (subscribers) subscribers.Add(changed);
        return Task.FromResult<IDisposable>(new Unsubscribe(() => { lock (subscribers) subscribers.Remove(changed); }));
    }

    public Task<int> CountRunningAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(jobs.Values.Count(j => j.OwnerId == userId && j.IsRunning));

    public Task<bool> CancelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (!jobs.TryGetValue(id, out var job) || !job.IsRunning)
            return Task.FromResult(false);
        if (job.OwnerId != userId && !Everyone)
            throw new AccessDeniedException(PortalAction.ManageUsers, "not yours");
        Cancelled.Enqueue(id);
        Push(job with { CancelRequested = true });
        return Task.FromResult(true);
    }

    private sealed class NoProgress : IJobProgress
    {
        public void Report(JobProgress progress)
        {
        }
    }

    private sealed class Unsubscribe(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
