using System.Text;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosting;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Hosts;

/// <summary>
/// At start-up (after the migration): stores the configured default hosts when there are none yet, then attaches
/// every stored host so its session starts connecting.
/// </summary>
internal sealed class HostStartup(HostDirectory directory, IOptions<KvmPortalOptions> options, ILogger<HostStartup> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if ((await directory.ListAsync(cancellationToken)).Count == 0)
        {
            foreach (var uri in options.Value.DefaultHosts.Distinct())
            {
                var result = await directory.AddAsync(DefaultName(uri), uri, cancellationToken: cancellationToken);
                if (result.Succeeded)
                    logger.LogInformation("Added default host {Uri}", uri);
                else
                    logger.LogWarning("Default host {Uri} was not added: {Error}", uri, result.Error);
            }
        }
        await directory.AttachAllAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>"localhost" for qemu:///system, else the URI's host, else the URI made into a valid name.</summary>
    internal static string DefaultName(string uri)
    {
        if (uri.Trim() == KvmPortalOptions.DefaultHostUri)
            return "localhost";
        if (Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var parsed) && parsed.Host.Length > 0)
            return Truncate(parsed.Host);

        // "test:///default" -> "test default": host names allow letters, digits, . - _ and spaces only.
        var name = new StringBuilder();
        foreach (var c in uri.Trim())
        {
            if (HostDirectory.IsNameCharacter(c))
                name.Append(c);
            else if (name.Length > 0 && name[^1] != ' ')
                name.Append(' ');
        }
        return Truncate(name.ToString().Trim());
    }

    private static string Truncate(string name) =>
        name.Length <= HostRecord.NameMaxLength ? name : name[..HostRecord.NameMaxLength];
}
