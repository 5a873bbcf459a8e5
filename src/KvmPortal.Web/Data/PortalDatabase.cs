using System.Data.Common;
using System.Net.Sockets;

namespace KvmPortal.Web.Data;

public static class PortalDatabase
{
    /// <summary>
    /// Whether <paramref name="error"/> says the database could not be reached or answered with a failure (a
    /// connection refused or dropped, a server shutting down, a timeout), as opposed to a fault in our code.
    /// EF Core wraps the driver's exceptions, so the whole chain is looked at.
    /// </summary>
    public static bool IsUnavailable(Exception error)
    {
        for (var e = (Exception?)error; e is not null; e = e.InnerException)
        {
            if (e is DbException or SocketException or TimeoutException) return true;
        }
        return false;
    }
}
