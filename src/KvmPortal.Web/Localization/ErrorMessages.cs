using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Localization;

/// <summary>
/// Translates the errors the service layer raises. Its errors carry a stable key and arguments beside the English
/// text; without a translation for the key the English text is shown. Libvirt's own text is never translated.
/// </summary>
public static class ErrorMessages
{
    /// <summary>
    /// Our explanation of a failed operation, e.g. "强制关机 web1：主机 alpha 没有响应。". <paramref name="operation"/>
    /// says what the user tried, in the user's language.
    /// </summary>
    public static string Explain(IStringLocalizer<Strings> text, HypervisorException error, string operation)
    {
        if (error.Kind is not { } kind)
            return error.Message;
        string[] arguments = kind == HypervisorErrorKind.InvalidSpec
            ? [operation, Problems(text, error.Problems)]
            : [operation, .. error.Arguments];
        var translated = text[$"HypervisorError{kind}", arguments];
        return translated.ResourceNotFound ? error.Message : translated.Value;
    }

    /// <summary>
    /// A problem with what the user entered, in the user's language: the resource "Problem{Key}" with the translated
    /// subject (when the problem has one) as {0}, then the problem's arguments; the English text when either is missing.
    /// </summary>
    public static string Problem(IStringLocalizer<Strings> text, SpecProblem problem)
    {
        string[] arguments = [.. problem.Arguments];
        if (problem.Subject is { } subject)
        {
            var term = text[$"ProblemSubject{subject}"];
            if (term.ResourceNotFound)
                return problem.Message;
            arguments = [term.Value, .. arguments];
        }
        var translated = text[$"Problem{problem.Key}", arguments];
        return translated.ResourceNotFound ? problem.Message : translated.Value;
    }

    /// <summary>Several problems as one text, each translated, without repeats.</summary>
    public static string Problems(IStringLocalizer<Strings> text, IEnumerable<SpecProblem> problems) =>
        string.Join(" ", problems.Select(p => Problem(text, p)).Distinct());

    /// <summary>Our explanation followed by libvirt's message as libvirt gave it, when there is one.</summary>
    public static string Describe(IStringLocalizer<Strings> text, HypervisorException error, string operation)
    {
        var explanation = Explain(text, error, operation);
        return error.LibvirtMessage is { Length: > 0 } libvirt
            ? text["ErrorWithLibvirtDetail", explanation, libvirt]
            : explanation;
    }

    /// <summary>What is wrong with a libvirt URI, or null when it is fine.</summary>
    public static string? ValidateHostUri(IStringLocalizer<Strings> text, string? uri)
    {
        if (HostUri.Check(uri) is not { } problem)
            return null;
        var translated = text[$"HostUriProblem{problem.Key}", [.. problem.Arguments]];
        return translated.ResourceNotFound ? problem.Message : translated.Value;
    }

    /// <summary>Why a host is offline, in the user's language; libvirt's own text stays as libvirt gave it.</summary>
    public static string? HostStatus(IStringLocalizer<Strings> text, HostInfo host)
    {
        if (host.OfflineReason is not { } reason)
            return host.StatusMessage;
        // Reasons without arguments of their own show libvirt's (or our) text beside the explanation.
        string[] arguments = host.OfflineArguments.Count == 0 ? [host.StatusMessage ?? ""] : [.. host.OfflineArguments];
        var translated = text[$"HostOfflineReason{reason}", arguments];
        return translated.ResourceNotFound ? host.StatusMessage : translated.Value;
    }
}
