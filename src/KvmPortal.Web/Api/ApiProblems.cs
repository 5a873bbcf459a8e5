using System.Text.Json;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Api;

/// <summary>RFC 7807 answers for what goes wrong in an API call; bad input is never a 500.</summary>
public static class ApiProblems
{
    public static IResult NotFound(string detail) =>
        Results.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult HostNotFound(Guid hostId) => NotFound($"No host with id {hostId}.");

    public static IResult VmNotFound(Guid hostId, Guid uuid) => NotFound($"No VM {uuid} on host {hostId}.");

    public static IResult Invalid(string field, params string[] messages) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = messages });

    /// <summary>
    /// Every problem of a spec at once: English messages grouped by field, and each problem's stable key and values
    /// for clients that show them in another language.
    /// </summary>
    public static IResult Invalid(IReadOnlyList<SpecProblem> problems) =>
        Results.ValidationProblem(
            problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
            extensions: new Dictionary<string, object?>
            {
                ["problems"] = problems.Select(p => new { p.Field, p.Key, p.Subject, p.Arguments }).ToList(),
            });

    /// <summary>The answer for an exception an API call raised, or null when it is a fault of ours (a real 500).</summary>
    public static IResult? From(Exception exception) => exception switch
    {
        AccessDeniedException denied => Results.Problem(title: "Forbidden", detail: denied.Message,
            statusCode: StatusCodes.Status403Forbidden, extensions: new Dictionary<string, object?> { ["action"] = denied.Action.ToString() }),
        HypervisorException failure => FromHypervisor(failure),
        NetworkValidationException invalid => Invalid(invalid.Problems),
        BadHttpRequestException bad => Results.Problem(title: "Bad request",
            detail: bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message, statusCode: bad.StatusCode),
        JsonException json => Results.Problem(title: "Bad request", detail: json.Message, statusCode: StatusCodes.Status400BadRequest),
        ArgumentException argument => Results.Problem(title: "Bad request", detail: argument.Message, statusCode: StatusCodes.Status400BadRequest),
        _ => null,
    };

    private static IResult FromHypervisor(HypervisorException failure) =>
        Results.Problem(title: failure.Kind?.ToString() ?? "Refused", detail: failure.Message, statusCode: StatusOf(failure),
            extensions: new Dictionary<string, object?> { ["kind"] = failure.Kind?.ToString(), ["libvirtMessage"] = failure.LibvirtMessage });

    /// <summary>The HTTP status that says why a hypervisor operation failed (for the API and the app's own endpoints).</summary>
    public static int StatusOf(HypervisorException failure) =>
        failure.Kind switch
        {
            HypervisorErrorKind.VmGone or HypervisorErrorKind.NetworkGone or HypervisorErrorKind.HostUnknown => StatusCodes.Status404NotFound,
            HypervisorErrorKind.InvalidState or HypervisorErrorKind.NetworkExists or HypervisorErrorKind.VolumeInUse
                or HypervisorErrorKind.VmIsTemplate or HypervisorErrorKind.NotATemplate or HypervisorErrorKind.TemplateNeedsShutOff => StatusCodes.Status409Conflict,
            // Allowed, but the team's resources are taken: the same call works once some are freed or the quota raised.
            // Not 403, which says the caller lacks a permission (and names it).
            _ when Quotas.QuotaRules.IsRefusal(failure) => StatusCodes.Status409Conflict,
            HypervisorErrorKind.HostOffline or HypervisorErrorKind.HostNotAnswering or HypervisorErrorKind.HostWentOffline
                or HypervisorErrorKind.PortalDatabaseUnavailable => StatusCodes.Status503ServiceUnavailable,
            HypervisorErrorKind.AuditNotRecorded => StatusCodes.Status500InternalServerError, // done, but unrecorded: our fault
            HypervisorErrorKind.AccessDenied => StatusCodes.Status502BadGateway,
            _ => StatusCodes.Status422UnprocessableEntity, // libvirt (or our checks) refused what was asked
        };
}
