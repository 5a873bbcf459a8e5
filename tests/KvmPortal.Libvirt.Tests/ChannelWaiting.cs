using System.Threading.Channels;
using Xunit.Sdk;

namespace KvmPortal.Libvirt.Tests;

internal static class ChannelWaiting
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Reads until an item matches, skipping others (e.g. events of other domains); fails after a timeout.</summary>
    public static async Task<T> WaitForAsync<T>(this ChannelReader<T> reader, Func<T, bool> match, string description)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var skipped = new List<T>();
        try
        {
            await foreach (T item in reader.ReadAllAsync(timeout.Token))
            {
                if (match(item))
                {
                    return item;
                }
                skipped.Add(item);
            }
        }
        catch (OperationCanceledException)
        {
        }
        throw new XunitException(
            $"Timed out after {Timeout.TotalSeconds}s waiting for {description}; saw: [{string.Join(", ", skipped)}]");
    }

    public static Task<DomainLifecycleEvent> WaitForEventAsync(
        this ChannelReader<DomainLifecycleEvent> reader, Guid uuid, DomainEventType type) =>
        reader.WaitForAsync(e => e.Uuid == uuid && e.Type == type, $"{type} event of {uuid}");
}
