using KvmPortal.Hypervisor.Storage;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosting;
using KvmPortal.Web.Jobs;
using KvmPortal.Web.Tests.Access;
using KvmPortal.Web.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Jobs;

/// <summary>The job center on the real web host and PostgreSQL: jobs outlive the scope that started them, cancel, and are marked interrupted at start.</summary>
public sealed class JobCenterTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private static readonly Guid HostId = Guid.Parse("5f0c1a52-4b8e-4b2b-9f3e-2a7b7d1c9e01");
    private readonly AccessScenario scenario = new(app);

    private JobRunner Runner => app.Services.GetRequiredService<JobRunner>();

    private async Task<JobRecord> StoredAsync(Guid id)
    {
        await using var db = await scenario.Contexts.CreateDbContextAsync();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id);
    }

    private async Task<List<AuditRecord>> AuditOfAsync(Guid job)
    {
        await using var db = await scenario.Contexts.CreateDbContextAsync();
        var text = job.ToString();
        var entries = await db.AuditLog.AsNoTracking().Where(a => a.Action.StartsWith("job.")).OrderBy(a => a.Id).ToListAsync();
        return [.. entries.Where(a => a.Parameters?.Contains(text) == true)];
    }

    /// <summary>A signed-in user's scope, as a circuit is: the job center there starts jobs as that user.</summary>
    private AsyncServiceScope CircuitOf(Actor user)
    {
        var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<JobActor>().Actor = user;
        return scope;
    }

    [Fact]
    public async Task A_job_runs_on_as_its_owner_after_the_scope_that_started_it_is_gone()
    {
        var owner = await scenario.CreateUserAsync("jobowner");
        await scenario.GrantAsync(owner, PortalRole.Administrator, null);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JobHandle handle;
        await using (var circuit = CircuitOf(owner))
        {
            handle = await circuit.ServiceProvider.GetRequiredService<IJobCenter>().StartAsync(
                new JobRequest(JobKinds.VolumeCopy, new AuditTarget(HostId, "alpha", Pool: "images", Volume: "copy.qcow2"), "images/a → images/copy.qcow2"),
                async job =>
                {
                    job.Progress.Report(new JobProgress(1 << 20, 4 << 20, "step one"));
                    await release.Task.WaitAsync(job.CancellationToken);
                    await job.Services.GetRequiredService<IStorageOperations>().CreateVolumeAsync(HostId, new VolumeSpec("images", "copy.qcow2", 1 << 30));
                    return new JobOutcome("storage");
                });
        }

        // The starting scope is disposed (the browser is gone); the job still runs and shows its progress.
        await Eventually.WaitAsync(() => Runner.Find(handle.Started.Id)?.Progress is not null, "the job reports its progress");
        var running = Assert.IsType<JobView>(Runner.Find(handle.Started.Id));
        Assert.Equal(JobState.Running, running.State);
        Assert.Equal(new JobProgress(1 << 20, 4 << 20, "step one"), running.Progress);
        Assert.Equal(JobState.Running, (await StoredAsync(handle.Started.Id)).State);

        release.SetResult();
        Assert.Equal("storage", (await handle.Completion).ResultLink);

        var stored = await StoredAsync(handle.Started.Id);
        Assert.Equal(JobState.Succeeded, stored.State);
        Assert.Equal(owner.UserName, stored.OwnerName);
        Assert.Equal(4L << 20, stored.DoneBytes);
        Assert.NotNull(stored.FinishedAt);
        Assert.Null(Runner.Find(handle.Started.Id));
        Assert.Contains("create images/copy.qcow2 1073741824 Qcow2 Off ", app.Storage.Calls);
        await using var db = await scenario.Contexts.CreateDbContextAsync();
        var created = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "storage.volume.create" && a.Volume == "copy.qcow2" && a.ActorId == owner.UserId);
        Assert.True(created.Succeeded);
        Assert.Equal([JobRunner.AuditStart, JobRunner.AuditFinish], (await AuditOfAsync(handle.Started.Id)).Select(a => a.Action));
    }

    [Fact]
    public async Task A_job_is_cancelled_by_its_owner_or_an_administrator_but_not_by_another_user()
    {
        var owner = await scenario.CreateUserAsync("jobowner");
        var stranger = await scenario.CreateUserAsync("stranger");
        JobHandle handle;
        await using (var circuit = CircuitOf(owner))
        {
            handle = await circuit.ServiceProvider.GetRequiredService<IJobCenter>().StartAsync(
                new JobRequest(JobKinds.VolumeUpload, new AuditTarget(HostId, "alpha", Pool: "images", Volume: "big.iso"), "images/big.iso"),
                async job =>
                {
                    await Task.Delay(Timeout.Infinite, job.CancellationToken);
                    return JobOutcome.Done;
                });
        }

        await using (var other = CircuitOf(stranger))
        {
            var center = other.ServiceProvider.GetRequiredService<IJobCenter>();
            await Assert.ThrowsAsync<AccessDeniedException>(() => center.CancelAsync(handle.Started.Id));
            Assert.DoesNotContain(await center.ListAsync(), j => j.Id == handle.Started.Id);
        }
        Assert.Equal(JobState.Running, Runner.Find(handle.Started.Id)!.State);

        await using (var circuit = CircuitOf(owner))
        {
            var center = circuit.ServiceProvider.GetRequiredService<IJobCenter>();
            Assert.Contains(await center.ListAsync(), j => j.Id == handle.Started.Id && j.IsRunning);
            Assert.Equal(1, await center.CountRunningAsync());
            Assert.True(await center.CancelAsync(handle.Started.Id));
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handle.Completion);

        var stored = await StoredAsync(handle.Started.Id);
        Assert.Equal(JobState.Cancelled, stored.State);
        Assert.Equal([JobRunner.AuditStart, JobRunner.AuditCancel, JobRunner.AuditFinish], (await AuditOfAsync(handle.Started.Id)).Select(a => a.Action));
        await using var after = CircuitOf(owner);
        Assert.False(await after.ServiceProvider.GetRequiredService<IJobCenter>().CancelAsync(handle.Started.Id));
    }

    [Fact]
    public async Task A_failing_job_records_its_error_and_a_refused_one_the_refusal()
    {
        var owner = await scenario.CreateUserAsync("noperm");
        await using var circuit = CircuitOf(owner);
        var center = circuit.ServiceProvider.GetRequiredService<IJobCenter>();
        var refused = await center.StartAsync(new JobRequest(JobKinds.PoolBuild, new AuditTarget(HostId, "alpha", Pool: "images"), "images", Cancellable: false),
            async job =>
            {
                // Without a grant the gate refuses, in the job as it would inline.
                await job.Services.GetRequiredService<IStorageOperations>().BuildPoolAsync(HostId, "images");
                return JobOutcome.Done;
            });
        await Assert.ThrowsAsync<AccessDeniedException>(() => refused.Completion);
        var stored = await StoredAsync(refused.Started.Id);
        Assert.Equal(JobState.Failed, stored.State);
        Assert.False(string.IsNullOrEmpty(stored.Error));
        Assert.DoesNotContain("build images", app.Storage.Calls);
        Assert.False(await center.CancelAsync(refused.Started.Id)); // ended (and not cancellable anyway)
    }

    [Fact]
    public async Task Jobs_left_running_by_this_instance_are_marked_interrupted_at_start_and_others_are_left_alone()
    {
        var instance = app.Services.GetRequiredService<IOptions<KvmPortalOptions>>().Value.InstanceName;
        JobRecord Running(string runningOn) => new()
        {
            Id = Guid.NewGuid(), OwnerId = "u-" + Guid.NewGuid().ToString("N"), OwnerName = "carol", Kind = JobKinds.VmClone,
            HostId = HostId, HostName = "alpha", Subject = "web1 → web2", State = JobState.Running, Cancellable = true,
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5), Instance = runningOn,
        };
        var mine = Running(instance);
        var elsewhere = Running("other-instance-" + Guid.NewGuid().ToString("N"));
        var store = app.Services.GetRequiredService<JobStore>();
        await store.AddAsync(mine);
        await store.AddAsync(elsewhere);

        await using (var restarted = await app.StartInstanceOnSameDatabaseAsync())
        {
            var interrupted = await StoredAsync(mine.Id);
            Assert.Equal(JobState.Interrupted, interrupted.State);
            Assert.NotNull(interrupted.FinishedAt);
            Assert.Equal(JobState.Running, (await StoredAsync(elsewhere.Id)).State);
            var audit = Assert.Single(await AuditOfAsync(mine.Id));
            Assert.Equal(JobRunner.AuditInterrupted, audit.Action);
            Assert.Equal("carol", audit.ActorName);
            Assert.False(audit.Succeeded);
            Assert.Empty(await AuditOfAsync(elsewhere.Id));
        }

        await using var circuit = CircuitOf(new Actor(mine.OwnerId, "carol", null));
        var listed = Assert.Single(await circuit.ServiceProvider.GetRequiredService<IJobCenter>().ListAsync());
        Assert.Equal(JobState.Interrupted, listed.State);
    }
}
