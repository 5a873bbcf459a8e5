namespace KvmPortal.Web.Components.Shared;

/// <summary>Runs a page's refresh every interval until the page goes away.</summary>
public static class Recurring
{
    public static async Task RunAsync(TimeSpan interval, TimeProvider clock, Func<Task> tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                await tick();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
