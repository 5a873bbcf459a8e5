namespace KvmPortal.Web.Resources;

/// <summary>Marker type for the user-facing strings in Strings.resx (inject IStringLocalizer&lt;Strings&gt;).</summary>
public sealed class Strings;
