namespace KvmPortal.Web.Resources;

/// <summary>Marker type for MudBlazor's component texts in MudTexts.resx (keys as MudBlazor names them).</summary>
public sealed class MudTexts;
