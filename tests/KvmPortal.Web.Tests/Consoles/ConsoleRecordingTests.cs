using KvmPortal.Web.Consoles;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Consoles;

/// <summary>The session record is written while the relay starts; a session whose record cannot be written must not run on.</summary>
public sealed class ConsoleRecordingTests
{
    // Port 1 on loopback: the connection is refused at once.
    private static readonly IDbContextFactory<KvmPortalDbContext> Unreachable = new PooledDbContextFactory<KvmPortalDbContext>(
        new DbContextOptionsBuilder<KvmPortalDbContext>().UseNpgsql("Host=127.0.0.1;Port=1;Username=x;Password=x;Timeout=3").Options);

    [Fact]
    public async Task A_session_whose_record_cannot_be_written_is_ended_and_leaves_nothing_to_abandon()
    {
        var sessions = new ConsoleSessions(Unreachable, Options.Create(new ConsoleOptions()), TimeProvider.System, null!);
        var target = new ConsoleTarget(Guid.NewGuid(), Guid.NewGuid(), ConsoleKind.Vnc, ConsoleMode.Full);
        var recording = sessions.BeginRecording("u1", "user-1", target, "vm-1");
        var session = sessions.Register(recording.Record, new RelayCounters(), CancellationToken.None);

        Assert.False(await recording.WasSavedAsync());
        Assert.True(sessions.EndUnrecorded(session.Id));

        Assert.Equal("the session could not be recorded", session.StoppedBecause);
        Assert.True(session.Disconnect.IsCancellationRequested);
        await sessions.AbandonAsync(recording); // nothing was written, so nothing is deleted (the database is not asked)
    }
}
