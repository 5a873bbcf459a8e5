using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Templates;

/// <summary>
/// The template mark in the domain's own &lt;metadata&gt; (our namespace, beside the owner tag), so it survives on the
/// host: &lt;kvmportal-template:template marked="2026-11-23T08:00:00Z"/&gt;. A template is a VM to make VMs from; it
/// is not started.
/// </summary>
public static class VmTemplateTag
{
    public const string Namespace = "https://kvmportal.dev/xmlns/template/1";
    public const string Prefix = "kvmportal-template";

    public static string ToXml(DateTimeOffset marked) =>
        new XElement(XName.Get("template", Namespace), new XAttribute("marked", marked.UtcDateTime.ToString("O")))
            .ToString(SaveOptions.DisableFormatting);

    /// <summary>
    /// Whether the domain's persistent definition (or, for a transient one, its live one) carries the mark; a driver
    /// without metadata support has no templates.
    /// </summary>
    public static bool IsTemplate(Domain domain)
    {
        try
        {
            return domain.GetElementMetadata(Namespace, domain.IsPersistent ? DomainModificationImpact.Config : DomainModificationImpact.Live) is not null;
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoSupport)
        {
            return false;
        }
    }

    /// <summary>Refuses to start a template: it is kept unchanged for the VMs made from it.</summary>
    public static void RefuseStart(Domain domain)
    {
        if (!IsTemplate(domain)) return;
        var name = domain.Name;
        throw HypervisorException.Because(HypervisorErrorKind.VmIsTemplate,
            $"{name} is a template, and templates are not started: create a VM from it, or unmark it as a template first.", name);
    }
}
