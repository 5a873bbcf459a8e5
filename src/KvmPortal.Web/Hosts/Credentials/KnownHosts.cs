namespace KvmPortal.Web.Hosts.Credentials;

/// <summary>One known_hosts entry: its line number, host patterns and key (null when the line does not parse).</summary>
public sealed record KnownHostsLine(int Number, string Hosts, SshPublicKey? Key);

/// <summary>Reads OpenSSH known_hosts text: "[marker] hosts key-type base64-key [comment]", # comments and blank lines skipped.</summary>
public static class KnownHosts
{
    public static IReadOnlyList<KnownHostsLine> Parse(string text)
    {
        var entries = new List<KnownHostsLine>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var start = fields[0].StartsWith('@') ? 1 : 0; // @cert-authority, @revoked
            entries.Add(fields.Length - start >= 3
                ? new KnownHostsLine(number, fields[start], SshKeys.ReadPublicKey(fields[start + 1], fields[start + 2]))
                : new KnownHostsLine(number, fields[0], null));
        }
        return entries;
    }
}
