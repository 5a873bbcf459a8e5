using System.Globalization;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Audit;

public enum AuditResultFilter { All, Ok, Failed }

/// <summary>
/// What the audit page and the CSV export show: text filters match case-insensitively (actor and target anywhere in
/// the name, action as a prefix so "vm." finds every VM action), a target that is a UUID matches the VM or host
/// UUID, and the time range is [From, To).
/// </summary>
public sealed record AuditFilter(
    string? Actor = null,
    string? Target = null,
    string? Action = null,
    AuditResultFilter Result = AuditResultFilter.All,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    private const char LikeEscape = '\\';

    public IQueryable<AuditRecord> Apply(IQueryable<AuditRecord> records)
    {
        if (Clean(Actor) is { } actor)
        {
            var pattern = Contains(actor);
            records = records.Where(a => a.ActorId == actor || EF.Functions.ILike(a.ActorName, pattern, LikeEscape.ToString()));
        }
        if (Clean(Target) is { } target)
        {
            if (Guid.TryParse(target, out var uuid))
            {
                records = records.Where(a => a.VmUuid == uuid || a.HostId == uuid);
            }
            else
            {
                var pattern = Contains(target);
                var escape = LikeEscape.ToString();
                records = records.Where(a =>
                    EF.Functions.ILike(a.VmName!, pattern, escape) || EF.Functions.ILike(a.HostName!, pattern, escape)
                    || EF.Functions.ILike(a.Pool!, pattern, escape) || EF.Functions.ILike(a.Volume!, pattern, escape)
                    || EF.Functions.ILike(a.Network!, pattern, escape) || EF.Functions.ILike(a.OtherTarget!, pattern, escape));
            }
        }
        if (Clean(Action) is { } action)
        {
            var pattern = Escape(action) + "%";
            records = records.Where(a => EF.Functions.ILike(a.Action, pattern, LikeEscape.ToString()));
        }
        if (Result != AuditResultFilter.All)
        {
            var succeeded = Result == AuditResultFilter.Ok;
            records = records.Where(a => a.Succeeded == succeeded);
        }
        if (From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            records = records.Where(a => a.Time >= fromUtc);
        }
        if (To is { } to)
        {
            var toUtc = to.ToUniversalTime();
            records = records.Where(a => a.Time < toUtc);
        }
        return records;
    }

    /// <summary>The filter as query parameters (actor, target, action, result, from, to), for the CSV export link.</summary>
    public string ToQueryString()
    {
        var parameters = new Dictionary<string, string?>();
        if (Clean(Actor) is { } actor) parameters["actor"] = actor;
        if (Clean(Target) is { } target) parameters["target"] = target;
        if (Clean(Action) is { } action) parameters["action"] = action;
        if (Result != AuditResultFilter.All) parameters["result"] = Result == AuditResultFilter.Ok ? "ok" : "failed";
        if (From is { } from) parameters["from"] = from.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        if (To is { } to) parameters["to"] = to.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString("", parameters);
    }

    /// <summary>Reads the query parameters <see cref="ToQueryString"/> writes; false (and an explanation) for values it cannot read.</summary>
    public static bool TryParse(IQueryCollection query, out AuditFilter filter, out string? problem)
    {
        filter = new AuditFilter();
        problem = null;
        var result = AuditResultFilter.All;
        switch (query["result"].ToString().ToLowerInvariant())
        {
            case "" or "all": break;
            case "ok": result = AuditResultFilter.Ok; break;
            case "failed": result = AuditResultFilter.Failed; break;
            default: problem = "result must be ok, failed or all"; return false;
        }
        if (!TryParseTime(query["from"], out var from) || !TryParseTime(query["to"], out var to))
        {
            problem = "from and to must be ISO 8601 times, e.g. 2026-11-23T00:00:00Z";
            return false;
        }
        filter = new AuditFilter(Clean(query["actor"]), Clean(query["target"]), Clean(query["action"]), result, from, to);
        return true;
    }

    private static bool TryParseTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        time = parsed;
        return true;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Contains(string text) => "%" + Escape(text) + "%";

    private static string Escape(string text) =>
        text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
