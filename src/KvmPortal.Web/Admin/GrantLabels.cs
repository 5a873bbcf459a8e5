using KvmPortal.Web.Access;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Admin;

/// <summary>A grant as one short line, e.g. "Help desk · Web team · view-only console, may reboot".</summary>
public static class GrantLabels
{
    public static string Describe(IStringLocalizer<Strings> text, PortalRole role, string? teamName, bool consoleViewOnly, bool mayReboot,
        GrantSource source = GrantSource.Manual)
    {
        var parts = new List<string> { text[$"Role{role}"], teamName ?? text["GrantGlobal"] };
        if (role == PortalRole.HelpDesk)
        {
            parts.Add(consoleViewOnly ? text["GrantConsoleViewOnly"] : text["GrantConsoleFull"]);
            if (mayReboot)
                parts.Add(text["GrantMayReboot"]);
        }
        if (source == GrantSource.IdentityProvider)
            parts.Add(text["GrantFromIdentityProvider"]);
        return string.Join(" · ", parts);
    }
}
