namespace KvmPortal.Web.Consoles;

/// <summary>Bytes carried each way by one console session.</summary>
public sealed class RelayCounters
{
    private long _toServer, _toClient;
    public long ToServer => Interlocked.Read(ref _toServer);
    public long ToClient => Interlocked.Read(ref _toClient);
    internal void AddToServer(long n) => Interlocked.Add(ref _toServer, n);
    internal void AddToClient(long n) => Interlocked.Add(ref _toClient, n);
}
