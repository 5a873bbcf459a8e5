using KvmPortal.Hypervisor.Consoles.Screenshots;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Tests.Screenshots;

public sealed class ScreenshotCacheTests
{
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(3);
    private readonly SteppedClock clock = new();
    private readonly VmKey vm = new(Guid.NewGuid(), Guid.NewGuid());
    private int captures;

    [Fact]
    public async Task Viewers_share_a_running_capture_and_a_fresh_picture_then_a_new_one_is_taken()
    {
        var cache = new ScreenshotCache(clock, FreshFor);
        var release = new TaskCompletionSource();

        var first = cache.GetAsync(vm, () => CaptureAfterAsync(release.Task), CancellationToken.None);
        var second = cache.GetAsync(vm, () => CaptureAfterAsync(release.Task), CancellationToken.None);
        release.SetResult();
        Assert.Same(await first, await second);

        clock.Advance(FreshFor - TimeSpan.FromMilliseconds(1));
        Assert.Same(await first, await cache.GetAsync(vm, () => CaptureAfterAsync(Task.CompletedTask), CancellationToken.None));
        Assert.Equal(1, captures);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.NotSame(await first, await cache.GetAsync(vm, () => CaptureAfterAsync(Task.CompletedTask), CancellationToken.None));
        Assert.Equal(2, captures);
    }

    [Fact]
    public async Task A_failed_capture_is_not_served_again_and_one_viewer_leaving_does_not_cancel_the_others()
    {
        var cache = new ScreenshotCache(clock, FreshFor);
        await Assert.ThrowsAsync<HypervisorException>(() =>
            cache.GetAsync(vm, () => Task.FromException<VmScreenshot>(new HypervisorException("host went away")), CancellationToken.None));

        var release = new TaskCompletionSource();
        using var leaving = new CancellationTokenSource();
        var left = cache.GetAsync(vm, () => CaptureAfterAsync(release.Task), leaving.Token);
        var staying = cache.GetAsync(vm, () => CaptureAfterAsync(release.Task), CancellationToken.None);
        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);
        release.SetResult();
        Assert.Equal(7, (await staying).Width);
        Assert.Equal(1, captures);
    }

    [Fact]
    public async Task Pictures_nobody_asked_for_in_a_while_are_dropped()
    {
        var cache = new ScreenshotCache(clock, FreshFor);
        await cache.GetAsync(vm, () => CaptureAfterAsync(Task.CompletedTask), CancellationToken.None);
        Assert.Equal(1, cache.Count);

        clock.Advance(FreshFor * 10);
        await cache.GetAsync(new VmKey(Guid.NewGuid(), Guid.NewGuid()), () => CaptureAfterAsync(Task.CompletedTask), CancellationToken.None);

        Assert.Equal(1, cache.Count);
    }

    private async Task<VmScreenshot> CaptureAfterAsync(Task released)
    {
        Interlocked.Increment(ref captures);
        await released;
        return new VmScreenshot([1, 2, 3], 7, 5, clock.GetUtcNow());
    }

    private sealed class SteppedClock : TimeProvider
    {
        private DateTimeOffset now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
