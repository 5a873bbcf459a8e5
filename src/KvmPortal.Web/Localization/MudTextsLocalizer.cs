using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace KvmPortal.Web.Localization;

/// <summary>
/// MudBlazor's own texts (close buttons, pagers, "Loading…", ...) from Resources/MudTexts.*.resx, whose keys are
/// MudBlazor's resource keys. MudBlazor falls back to its built-in English for keys we do not translate.
/// </summary>
internal sealed class MudTextsLocalizer(IStringLocalizer<MudTexts> texts) : MudLocalizer
{
    public override LocalizedString this[string key] => texts[key];

    public override LocalizedString this[string key, params object[] arguments] => texts[key, arguments];
}
