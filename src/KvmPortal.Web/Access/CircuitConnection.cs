using KvmPortal.Web.Audit;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace KvmPortal.Web.Access;

/// <summary>
/// Per-circuit facts taken while the circuit's own HTTP connection is at hand: that this scope is a circuit (its
/// HttpContext, if any, is stale) and the browser's address, for the audit log.
/// </summary>
public sealed class CircuitConnection
{
    public bool IsCircuit { get; private set; }

    public string? SourceIp { get; private set; }

    internal void Opened(string? sourceIp)
    {
        IsCircuit = true;
        SourceIp = sourceIp ?? SourceIp;
    }
}

/// <summary>Records the circuit's source address when it opens and whenever the browser reconnects.</summary>
internal sealed class CircuitConnectionHandler(CircuitConnection connection, IHttpContextAccessor http) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.Opened(http.HttpContext is { } context ? SourceAddress.Of(context) : null);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.Opened(http.HttpContext is { } context ? SourceAddress.Of(context) : null);
        return Task.CompletedTask;
    }
}
