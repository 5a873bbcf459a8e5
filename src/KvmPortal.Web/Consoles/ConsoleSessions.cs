using System.Collections.Concurrent;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Consoles;

public sealed class ConsoleOptions
{
    /// <summary>How many consoles one user may have open at once on this instance.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int MaxSessionsPerUser { get; set; } = 4;
}

/// <summary>A session's record and its write to PostgreSQL, under way while the proxy reaches the VM.</summary>
public sealed record ConsoleRecording(ConsoleSessionRecord Record, Task Saved)
{
    /// <summary>Waits for the write; false when it failed (then nothing was written).</summary>
    public async Task<bool> WasSavedAsync()
    {
        try
        {
            await Saved;
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}

/// <summary>A console session while it is open: what the registry page shows.</summary>
public sealed class LiveConsoleSession(ConsoleSessionRecord record, RelayCounters counters, CancellationTokenSource disconnect)
{
    public Guid Id => record.Id;
    public string UserId => record.UserId;
    public string UserName => record.UserName;
    public string VmName => record.VmName;
    public Guid HostId => record.HostId;
    public Guid DomainUuid => record.DomainUuid;
    public ConsoleKind Kind => record.Kind;
    public ConsoleMode Mode => record.Mode;
    public DateTimeOffset StartedAt => record.StartedAt;
    public RelayCounters Counters { get; } = counters;
    internal ConsoleSessionRecord Record => record;
    internal CancellationTokenSource Disconnect => disconnect;

    /// <summary>The client's address, for the audit log.</summary>
    public string? SourceIp { get; set; }

    /// <summary>Why the dashboard ended the session (an administrator, another user's take-over); null when a side closed it.</summary>
    public string? StoppedBecause { get; internal set; }
}

/// <summary>
/// The open console sessions of this instance, and their record in PostgreSQL (start, end, duration, bytes,
/// how it ended), and its audit entry when it ends. An administrator can disconnect a session; a user may hold only
/// so many at once.
/// </summary>
public sealed class ConsoleSessions(IDbContextFactory<KvmPortalDbContext> contexts, IOptions<ConsoleOptions> options, TimeProvider clock,
    ConsoleAudit audit)
{
    private readonly ConcurrentDictionary<Guid, LiveConsoleSession> _open = new();
    private readonly Dictionary<string, int> _slotsTaken = [];
    private readonly Lock _slotGate = new();
    private readonly ConcurrentDictionary<(string UserId, Guid HostId, Guid DomainUuid), string> _takenOver = new();

    /// <summary>Raised when a session opens or ends.</summary>
    public event Action? Changed;

    public IReadOnlyList<LiveConsoleSession> Open => _open.Values.OrderBy(s => s.StartedAt).ToList();

    /// <summary>
    /// Takes one of the user's console slots, held until the returned slot is disposed; null when all are taken.
    /// Admission takes the slot and the endpoint holds it until the session ends, so two connections racing for
    /// the user's last slot cannot both get it (checking the open sessions first and opening later could).
    /// </summary>
    public IDisposable? TryTakeSlot(string userId)
    {
        lock (_slotGate)
        {
            var taken = _slotsTaken.GetValueOrDefault(userId);
            if (taken >= options.Value.MaxSessionsPerUser) return null;
            _slotsTaken[userId] = taken + 1;
        }
        return new Slot(this, userId);
    }

    private void ReleaseSlot(string userId)
    {
        lock (_slotGate)
        {
            if (--_slotsTaken[userId] == 0) _slotsTaken.Remove(userId);
        }
    }

    private sealed class Slot(ConsoleSessions owner, string userId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner.ReleaseSlot(userId);
        }
    }

    public async Task<LiveConsoleSession> StartAsync(string userId, string userName, ConsoleTarget target, string vmName,
        RelayCounters counters, CancellationToken cancellationToken)
    {
        var recording = BeginRecording(userId, userName, target, vmName);
        await recording.Saved;
        return Register(recording.Record, counters, cancellationToken);
    }

    /// <summary>
    /// Starts writing the session's start to PostgreSQL. The proxies start this as soon as a connection is admitted and
    /// let it run while they reach the VM and the relay starts (a session whose record cannot be written is ended at
    /// once, see <see cref="EndUnrecorded"/>), or <see cref="AbandonAsync"/> it when the VM cannot be reached: so the
    /// write adds nothing to a console's set-up time. The write is not cancelled when the browser leaves: a session
    /// that relayed even a moment has its record.
    /// </summary>
    public ConsoleRecording BeginRecording(string userId, string userName, ConsoleTarget target, string vmName)
    {
        var record = new ConsoleSessionRecord
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            UserName = userName,
            HostId = target.HostId,
            DomainUuid = target.DomainUuid,
            VmName = vmName,
            Kind = target.Kind,
            Mode = target.Mode,
            StartedAt = clock.GetUtcNow(),
        };
        return new ConsoleRecording(record, SaveAsync(record));
    }

    private async Task SaveAsync(ConsoleSessionRecord record)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.ConsoleSessions.Add(record);
        await db.SaveChangesAsync();
    }

    /// <summary>Ends an open session whose start could not be recorded: no console runs unrecorded.</summary>
    public bool EndUnrecorded(Guid sessionId) => Stop(sessionId, "the session could not be recorded");

    /// <summary>Registers a recorded session as open: the registry shows it and an administrator can end it.</summary>
    public LiveConsoleSession Register(ConsoleSessionRecord record, RelayCounters counters, CancellationToken cancellationToken)
    {
        var session = new LiveConsoleSession(record, counters, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken));
        _takenOver.TryRemove((record.UserId, record.HostId, record.DomainUuid), out _);
        _open[record.Id] = session;
        Changed?.Invoke();
        return session;
    }

    /// <summary>Removes the record of a session that never opened (its VM could not be reached; that refusal is audited).</summary>
    public async Task AbandonAsync(ConsoleRecording recording)
    {
        if (!await recording.WasSavedAsync()) return; // nothing was written
        await using var db = await contexts.CreateDbContextAsync();
        await db.ConsoleSessions.Where(s => s.Id == recording.Record.Id).ExecuteDeleteAsync();
    }

    public async Task EndAsync(LiveConsoleSession session, string reason)
    {
        var endedAt = clock.GetUtcNow();
        try
        {
            await using (var db = await contexts.CreateDbContextAsync())
            {
                await db.ConsoleSessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.EndedAt, endedAt)
                    .SetProperty(r => r.BytesToClient, session.Counters.ToClient)
                    .SetProperty(r => r.BytesToServer, session.Counters.ToServer)
                    .SetProperty(r => r.EndReason, reason.Length > 256 ? reason[..256] : reason));
            }
            await audit.SessionEndedAsync(session, endedAt, reason);
        }
        finally
        {
            // Only now, with the record complete, do pages that list ended sessions hear of it.
            _open.TryRemove(session.Id, out _);
            Changed?.Invoke();
            session.Disconnect.Dispose();
        }
    }

    /// <summary>Ends an open session on this instance; false when it is not (or no longer) open here.</summary>
    public bool Disconnect(Guid sessionId) => Stop(sessionId, "disconnected by an administrator");

    /// <summary>Other users' full-mode sessions of this console: the ones a take-over would end.</summary>
    public IReadOnlyList<LiveConsoleSession> HeldByOthers(string userId, Guid hostId, Guid domainUuid, ConsoleKind kind) =>
        _open.Values
            .Where(s => s.UserId != userId && s.HostId == hostId && s.DomainUuid == domainUuid && s.Kind == kind && s.Mode == ConsoleMode.Full)
            .OrderBy(s => s.StartedAt).ToList();

    /// <summary>Ends the session because <paramref name="byUserName"/> took the console over; its user's page learns it from <see cref="TakenOverBy"/>.</summary>
    public bool TakeOver(Guid sessionId, string byUserName)
    {
        if (!_open.TryGetValue(sessionId, out var session)) return false;
        _takenOver[(session.UserId, session.HostId, session.DomainUuid)] = byUserName;
        return Stop(sessionId, $"taken over by {byUserName}");
    }

    /// <summary>Who took over the user's last console of this VM, if someone did since the user last opened it here.</summary>
    public string? TakenOverBy(string userId, Guid hostId, Guid domainUuid) =>
        _takenOver.GetValueOrDefault((userId, hostId, domainUuid));

    private bool Stop(Guid sessionId, string reason)
    {
        if (!_open.TryGetValue(sessionId, out var session)) return false;
        try
        {
            session.StoppedBecause = reason;
            session.Disconnect.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false; // it ended meanwhile
        }
        return true;
    }
}
