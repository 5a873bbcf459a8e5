using KvmPortal.Web.Consoles;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Consoles;

public sealed class ConsoleSlotTests
{
    // Slots touch neither the database nor the audit log: those dependencies stay unset.
    private static ConsoleSessions Sessions(int max) =>
        new(null!, Options.Create(new ConsoleOptions { MaxSessionsPerUser = max }), TimeProvider.System, null!);

    [Fact]
    public void A_user_gets_as_many_slots_as_the_limit_and_one_more_when_one_is_freed()
    {
        var sessions = Sessions(2);
        var first = sessions.TryTakeSlot("u1");
        var second = sessions.TryTakeSlot("u1");

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(sessions.TryTakeSlot("u1"));
        Assert.NotNull(sessions.TryTakeSlot("u2")); // another user's slots are their own

        first!.Dispose();
        first.Dispose(); // freeing twice frees once
        Assert.NotNull(sessions.TryTakeSlot("u1"));
        Assert.Null(sessions.TryTakeSlot("u1"));
    }

    [Fact]
    public async Task Connections_racing_for_the_last_slots_never_get_more_than_the_limit()
    {
        var sessions = Sessions(4);
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return sessions.TryTakeSlot("racer");
        })).ToList();

        start.Set();
        var slots = await Task.WhenAll(attempts);

        Assert.Equal(4, slots.Count(s => s is not null));
    }
}
