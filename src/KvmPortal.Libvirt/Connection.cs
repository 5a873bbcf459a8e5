using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace KvmPortal.Libvirt;

/// <summary>A libvirt connection (virConnectPtr). Thread-safe as libvirt connections are.</summary>
public sealed unsafe partial class Connection : IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<EventSubscription> _subscriptions = [];
    private bool _closeCallbackRegistered;
    private bool _disposed;

    private Connection(ConnectionHandle handle)
    {
        Handle = handle;
    }

    internal ConnectionHandle Handle { get; }

    /// <summary>
    /// Opens a connection with libvirt's default authentication callbacks, so ssh:// and tls:// URIs behave as
    /// they do for virsh. Starts the event loop first, as libvirt requires.
    /// </summary>
    public static Connection Open(string uri) => Open(uri, interactive: true);

    /// <summary>
    /// Opens a connection. With <paramref name="interactive"/> false libvirt gets no authentication callback, so it
    /// can never ask anything (a password, or whether to accept an unknown SSH host key): such a question fails.
    /// </summary>
    public static Connection Open(string uri, bool interactive)
    {
        LibvirtEventLoop.EnsureStarted();
        ConnectionHandle handle = NativeMethods.virConnectOpenAuth(uri, interactive ? NativeMethods.ConnectAuthPtrDefault : 0, 0);
        if (handle.IsInvalid)
        {
            var error = LibvirtException.FromLastError();
            handle.Dispose();
            throw error;
        }
        return new Connection(handle);
    }

    public string Uri => NativeMethods.virConnectGetURI(Handle) ?? throw LibvirtException.FromLastError();

    /// <summary>The driver name, e.g. "QEMU" or "TEST".</summary>
    public string HypervisorType
    {
        get
        {
            nint type = NativeMethods.virConnectGetType(Handle);
            return type == 0 ? throw LibvirtException.FromLastError() : Marshal.PtrToStringUTF8(type)!;
        }
    }

    public bool IsAlive => NativeMethods.virConnectIsAlive(Handle) == 1;

    public string GetHostname() => NativeMethods.virConnectGetHostname(Handle) ?? throw LibvirtException.FromLastError();

    /// <summary>The capabilities XML of the host and hypervisor.</summary>
    public string GetCapabilities() =>
        NativeMethods.virConnectGetCapabilities(Handle) ?? throw LibvirtException.FromLastError();

    /// <summary>libvirt's version as major * 1,000,000 + minor * 1,000 + release.</summary>
    public ulong GetLibVersion()
    {
        if (NativeMethods.virConnectGetLibVersion(Handle, out ulong version) < 0)
        {
            throw LibvirtException.FromLastError();
        }
        return version;
    }

    /// <summary>The hypervisor's version, encoded like <see cref="GetLibVersion"/>.</summary>
    public ulong GetHypervisorVersion()
    {
        if (NativeMethods.virConnectGetVersion(Handle, out ulong version) < 0)
        {
            throw LibvirtException.FromLastError();
        }
        return version;
    }

    public NodeInfo GetNodeInfo()
    {
        if (NativeMethods.virNodeGetInfo(Handle, out VirNodeInfo info) < 0)
        {
            throw LibvirtException.FromLastError();
        }
        string model = Marshal.PtrToStringUTF8((nint)info.Model) ?? "";
        return new NodeInfo(model, info.Memory, info.Cpus, info.Mhz, info.Nodes, info.Sockets, info.Cores, info.Threads);
    }

    /// <summary>
    /// Starts keepalive probes so a dead peer is noticed (and reported to the close callback). Returns false when
    /// there is nothing to keep alive: libvirt answers 1 when the server does not support keepalive, and local
    /// drivers without a server (test://) fail with <see cref="ErrorCode.NoSupport"/>; neither is an error here.
    /// </summary>
    public bool SetKeepAlive(int intervalSeconds, uint count)
    {
        int result = NativeMethods.virConnectSetKeepAlive(Handle, intervalSeconds, count);
        if (result < 0)
        {
            var error = LibvirtException.FromLastError();
            return error.ErrorCode == ErrorCode.NoSupport ? false : throw error;
        }
        return result == 0;
    }

    /// <summary>
    /// Reports through <paramref name="writer"/> when the connection closes (daemon gone, keepalive timeout, ...).
    /// Only one close callback per connection. It is unregistered when the connection is disposed, before
    /// closing, so an explicit Dispose does not report <see cref="CloseReason.Client"/>.
    /// </summary>
    public void RegisterCloseCallback(ChannelWriter<ConnectionClosed> writer)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_closeCallbackRegistered)
            {
                throw new InvalidOperationException("A close callback is already registered on this connection.");
            }
            // No freecb: libvirt never calls it for drivers without close callbacks, so the handle frees the state.
            GCHandle state = GCHandle.Alloc(writer);
            nint callback = ConnectionCloseCallback.Pointer;
            if (NativeMethods.virConnectRegisterCloseCallback(Handle, callback, GCHandle.ToIntPtr(state), 0) < 0)
            {
                var error = LibvirtException.FromLastError();
                state.Free();
                throw error;
            }
            Handle.TrackCloseCallback(callback, state);
            _closeCallbackRegistered = true;
        }
    }

    public IReadOnlyList<Domain> ListAllDomains(ListAllDomainsFlags flags = ListAllDomainsFlags.None)
    {
        int count = NativeMethods.virConnectListAllDomains(Handle, out nint array, (uint)flags);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        try
        {
            var domains = new List<Domain>(count);
            for (int i = 0; i < count; i++)
            {
                domains.Add(new Domain(this, new DomainHandle(((nint*)array)[i])));
            }
            return domains;
        }
        finally
        {
            NativeMemory.Free((void*)array); // the array is malloc'd by libvirt; NativeMemory.Free is libc free
        }
    }

    /// <summary>Looks a domain up by UUID; a missing one throws with <see cref="ErrorCode.NoDomain"/>.</summary>
    public Domain LookupDomainByUuid(Guid uuid) =>
        Wrap(NativeMethods.virDomainLookupByUUIDString(Handle, uuid.ToString("D")));

    /// <summary>Looks a domain up by name; a missing one throws with <see cref="ErrorCode.NoDomain"/>.</summary>
    public Domain LookupDomainByName(string name) => Wrap(NativeMethods.virDomainLookupByName(Handle, name));

    /// <summary>Defines (or redefines) a persistent domain from its XML.</summary>
    public Domain DefineDomain(string xml, DefineDomainFlags flags = DefineDomainFlags.None) =>
        Wrap(NativeMethods.virDomainDefineXMLFlags(Handle, xml, (uint)flags));

    /// <summary>Creates and starts a domain that disappears when it stops.</summary>
    public Domain CreateTransientDomain(string xml) => Wrap(NativeMethods.virDomainCreateXML(Handle, xml, 0));

    /// <summary>
    /// Writes every domain lifecycle event of this connection to <paramref name="writer"/> until the returned
    /// subscription or the connection is disposed. Events come from the libvirt-events thread.
    /// </summary>
    public IDisposable SubscribeDomainLifecycle(ChannelWriter<DomainLifecycleEvent> writer)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var subscription = DomainLifecycleSubscription.Register(this, writer);
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Statistics of many domains in one call (virConnectGetAllDomainStats).</summary>
    public IReadOnlyList<DomainStatsRecord> GetAllDomainStats(
        DomainStatsTypes stats, GetAllDomainStatsFlags flags = GetAllDomainStatsFlags.None)
    {
        int count = NativeMethods.virConnectGetAllDomainStats(Handle, (uint)stats, out nint records, (uint)flags);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        try
        {
            var result = new List<DomainStatsRecord>(count);
            for (int i = 0; i < count; i++)
            {
                VirDomainStatsRecord* record = ((VirDomainStatsRecord**)records)[i];
                result.Add(new DomainStatsRecord(
                    DomainIdentity.GetUuid(record->Dom),
                    DomainIdentity.GetName(record->Dom),
                    TypedParameters.ToDictionary(record->Params, record->NParams)));
            }
            return result;
        }
        finally
        {
            if (records != 0)
            {
                NativeMethods.virDomainStatsRecordListFree(records);
            }
        }
    }

    /// <summary>Deregisters event subscriptions and the close callback, then closes the connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var subscription in _subscriptions)
            {
                subscription.Deregister();
            }
            _subscriptions.Clear();
            Handle.Dispose();
        }
    }

    internal void Forget(EventSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private Domain Wrap(DomainHandle handle)
    {
        if (handle.IsInvalid)
        {
            var error = LibvirtException.FromLastError();
            handle.Dispose();
            throw error;
        }
        return new Domain(this, handle);
    }
}
