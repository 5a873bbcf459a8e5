using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using KvmPortal.Hypervisor;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosting;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Jobs;

/// <summary>
/// Runs jobs for the whole app (a singleton): each in its own DI scope whose actor is the job's owner, outside any
/// circuit, so a job goes on when its user navigates away or closes the browser. Records each job in the Jobs table
/// and its start, end and cancel in the audit log (the operation itself is audited by the gated service it calls).
/// </summary>
public sealed class JobRunner(
    IServiceScopeFactory scopes,
    JobStore store,
    IAuditLog audit,
    IStringLocalizer<Strings> text,
    IOptions<KvmPortalOptions> options,
    TimeProvider clock,
    ILogger<JobRunner> logger)
{
    public const string AuditStart = "job.start";
    public const string AuditFinish = "job.finish";
    public const string AuditCancel = "job.cancel";
    public const string AuditInterrupted = "job.interrupted";

    private readonly ConcurrentDictionary<Guid, LiveJob> _live = new();

    /// <summary>Raised (on any thread) when a job starts, visibly progresses, is cancelled or ends.</summary>
    public event Action<JobView>? Changed;

    /// <summary>The jobs running in this instance.</summary>
    public IReadOnlyList<JobView> Running => [.. _live.Values.Select(j => j.View)];

    public JobView? Find(Guid id) => _live.TryGetValue(id, out var job) ? job.View : null;

    /// <param name="stopWith">Cancels the job too, e.g. the request of an upload whose body the job reads.</param>
    public async Task<JobHandle> StartAsync(Actor owner, JobRequest request, JobWork work, CancellationToken stopWith = default)
    {
        var record = new JobRecord
        {
            Id = Guid.NewGuid(), OwnerId = owner.UserId, OwnerName = owner.UserName, Kind = request.Kind,
            HostId = request.Target.HostId, HostName = request.Target.HostName, Subject = request.Subject,
            State = JobState.Running, Cancellable = request.Cancellable, StartedAt = clock.GetUtcNow(),
            Instance = options.Value.InstanceName,
        };
        await store.AddAsync(record);
        await RecordAsync(owner, AuditStart, request.Target, record.Id, request.Kind, succeeded: true, error: null);
        var job = new LiveJob(JobStore.ToView(record), request.Target, j => Publish(j.View), stopWith);
        _live[job.Id] = job;
        var ended = new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var culture = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        Publish(job.View);
        using (ExecutionContext.SuppressFlow()) // the circuit's or request's ambient state stays with them
            _ = Task.Run(() => RunAsync(job, owner, request, work, culture, ended));
        return new JobHandle(job.View, ended.Task);
    }

    /// <summary>Asks a running job to stop, audited as <paramref name="by"/>; false when it is not running here or cannot be cancelled.</summary>
    public async Task<bool> CancelAsync(Guid id, Actor by)
    {
        if (!_live.TryGetValue(id, out var job) || !job.CanCancel)
            return false;
        // Audited before the job is told, so the cancel is never done unaudited and precedes the job's end in the log.
        await RecordAsync(by, AuditCancel, job.Target, id, job.View.Kind, true, null);
        return job.RequestCancel();
    }

    private async Task RunAsync(LiveJob job, Actor owner, JobRequest request, JobWork work,
        (CultureInfo Culture, CultureInfo UiCulture) culture, TaskCompletionSource<JobOutcome> ended)
    {
        CultureInfo.CurrentCulture = culture.Culture;
        CultureInfo.CurrentUICulture = culture.UiCulture;
        JobView finished;
        JobOutcome? outcome = null;
        Exception? failure = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<JobActor>().Actor = owner;
            outcome = await work(new JobContext(scope.ServiceProvider, job, job.Token));
            finished = job.Finish(JobState.Succeeded, clock.GetUtcNow(), null, outcome.ResultLink);
        }
        catch (Exception e)
        {
            failure = e;
            var cancelled = job.Token.IsCancellationRequested && e is OperationCanceledException or HypervisorException;
            finished = job.Finish(cancelled ? JobState.Cancelled : JobState.Failed, clock.GetUtcNow(), Describe(e, request), null);
        }
        try
        {
            await store.FinishAsync(finished);
            await RecordAsync(owner, AuditFinish, request.Target, job.Id, request.Kind, finished.State == JobState.Succeeded,
                finished.State == JobState.Succeeded ? null : $"{finished.State}: {finished.Error}");
        }
        catch (Exception e)
        {
            logger.LogError(e, "The end of job {Job} ({Kind} {Subject}) could not be recorded", job.Id, request.Kind, request.Subject);
        }
        finally
        {
            _live.TryRemove(job.Id, out _);
            job.Dispose();
            Publish(finished);
            // Whoever awaits the job (an upload's request) learns of its end once it is recorded.
            if (failure is null) ended.SetResult(outcome!);
            else ended.SetException(failure);
        }
    }

    private string Describe(Exception error, JobRequest request)
    {
        var operation = text["JobOperation", text[JobKinds.TextKey(request.Kind)], request.Subject];
        switch (error)
        {
            case HypervisorException e:
                return ErrorMessages.Describe(text, e, operation);
            case AccessDeniedException:
                return text["AccessDenied"];
            case OperationCanceledException:
                return text["JobCancelledText"];
            default:
                logger.LogError(error, "Job {Kind} {Subject} failed unexpectedly", request.Kind, request.Subject);
                return text["BulkActionUnexpectedError"];
        }
    }

    private void Publish(JobView view)
    {
        try
        {
            Changed?.Invoke(view);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A job list failed to take a change of job {Job}", view.Id);
        }
    }

    internal Task RecordAsync(Actor actor, string action, AuditTarget target, Guid id, string kind, bool succeeded, string? error) =>
        audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), actor, action, target,
            JsonSerializer.Serialize(new { job = id, kind }), succeeded, error), CancellationToken.None);
}
